using System.Globalization;
using System.Net.Sockets;
using System.Text;
using BeamDAQ.Control.Facility;
using BeamDAQ.Protocol.Hosting;
using Serilog;

namespace BeamDAQ.Control.SlowControl.Transport;

/// <summary>
/// A connection to one line-based device: one command at a time, every read bounded by the read time-out,
/// reconnection after a drop with exponential back-off. Nothing here hangs or throws for a device problem:
/// a device that is unreachable or silent yields <see cref="DeviceOutcome.Lost"/> within its time-out, and
/// during back-off immediately.
/// </summary>
public sealed class LineClient : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly LineClientOptions options;
    private readonly IClock clock;
    private readonly ILogger log;
    private Socket? socket;
    private NetworkStream? stream;
    private AsciiLineReader? reader;
    private DateTimeOffset nextAttempt = DateTimeOffset.MinValue;
    private TimeSpan backoff = TimeSpan.Zero;
    private string lastProblem = "";
    private bool lost;
    private long connects;
    private long failures;

    public LineClient(string device, DeviceEndpoint endpoint, LineClientOptions options, IClock clock, ILogger log)
    {
        Device = device;
        Endpoint = endpoint;
        this.options = options;
        this.clock = clock;
        this.log = log.ForContext("Device", device);
    }

    public string Device { get; }
    public DeviceEndpoint Endpoint { get; }
    public LineClientOptions Options => options;
    public bool IsConnected => Volatile.Read(ref socket) is not null;

    /// <summary>Successful connection set-ups (the first one included).</summary>
    public long Connects => Interlocked.Read(ref connects);

    /// <summary>Exchanges that ended with the device lost.</summary>
    public long Failures => Interlocked.Read(ref failures);

    /// <summary>Sends a command and returns the reply line.</summary>
    public Task<DeviceResult<string>> QueryAsync(string command, CancellationToken cancellationToken = default) =>
        ExchangeAsync(command, expectReply: true, cancellationToken);

    /// <summary>Sends a command that has no reply (an SCPI setting).</summary>
    public async Task<DeviceResult<Done>> SendAsync(string command, CancellationToken cancellationToken = default)
    {
        var result = await ExchangeAsync(command, expectReply: false, cancellationToken).ConfigureAwait(false);
        return result.IsOk ? DeviceResult<Done>.Ok(Done.Value) : result.Fail<Done>();
    }

    private async Task<DeviceResult<string>> ExchangeAsync(string command, bool expectReply, CancellationToken cancellationToken)
    {
        if (command.Contains('\n') || command.Contains('\r'))
            throw new ArgumentException("a command is one line; it must not contain line breaks", nameof(command));
        byte[] bytes = Encoding.UTF8.GetBytes(command + "\n");

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                bool fresh = false;
                if (socket is null)
                {
                    var now = clock.UtcNow;
                    if (now < nextAttempt)
                        return DeviceResult<string>.Lost(
                            $"{lastProblem}; next reconnect attempt in {(nextAttempt - now).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
                    if (await ConnectAsync(cancellationToken).ConfigureAwait(false) is { } connectProblem)
                        return Fail(connectProblem);
                    fresh = true;
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.ReadTimeout);
                try
                {
                    await stream!.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
                    if (!expectReply)
                        return Succeeded("");
                    string? line = await reader!.ReadLineAsync(timeout.Token).ConfigureAwait(false);
                    if (line is null)
                        throw new EndOfStreamException("the device closed the connection");
                    return Succeeded(line);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // A late reply would be taken for the next command's: start over on a new connection.
                    Disconnect();
                    return Fail($"no answer to '{command}' within {options.ReadTimeout.TotalMilliseconds:0} ms");
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                    Disconnect();
                    // A connection that broke while idle (device rebooted, sim restarted): one immediate retry.
                    if (!fresh && attempt == 0)
                    {
                        log.Debug("{Device}: connection broke ({Problem}); reconnecting", Device, e.Message);
                        continue;
                    }
                    return Fail($"connection to {Endpoint} lost: {e.Message}");
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<string?> ConnectAsync(CancellationToken cancellationToken)
    {
        var candidate = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await candidate.ConnectAsync(Endpoint.Host, Endpoint.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            candidate.Dispose();
            return $"no connection to {Endpoint} within {options.ConnectTimeout.TotalMilliseconds:0} ms";
        }
        catch (SocketException e)
        {
            candidate.Dispose();
            return $"cannot connect to {Endpoint}: {e.Message}";
        }
        catch
        {
            candidate.Dispose();
            throw;
        }
        socket = candidate;
        stream = new NetworkStream(candidate, ownsSocket: true);
        reader = new AsciiLineReader(stream);
        Interlocked.Increment(ref connects);
        return null;
    }

    private DeviceResult<string> Succeeded(string reply)
    {
        backoff = TimeSpan.Zero;
        nextAttempt = DateTimeOffset.MinValue;
        if (lost)
        {
            lost = false;
            log.Information("{Device}: answering again at {Endpoint}", Device, Endpoint);
        }
        return DeviceResult<string>.Ok(reply);
    }

    private DeviceResult<string> Fail(string problem)
    {
        Interlocked.Increment(ref failures);
        backoff = backoff == TimeSpan.Zero ? options.InitialBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
        nextAttempt = clock.UtcNow + backoff;
        lastProblem = problem;
        if (!lost)
        {
            lost = true;
            log.Warning("{Device}: lost: {Problem}", Device, problem);
        }
        return DeviceResult<string>.Lost(problem);
    }

    private void Disconnect()
    {
        var old = socket;
        socket = null;
        stream?.Dispose();
        stream = null;
        reader = null;
        old?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            Disconnect();
        }
        finally
        {
            gate.Release();
        }
    }
}
