using System.Globalization;
using System.Net.Sockets;
using System.Text;
using BeamDAQ.Protocol.Hosting;
using Serilog;

namespace BeamDAQ.Daq.Digitizers.Simulation.Beam;

/// <summary>
/// λ from the simulated facility's beam port (<c>beamdaq-control facility-sim</c>, docs/facility.md): a line
/// protocol over TCP, <c>BEAM:LAMBDA?</c> answered by one number. The simulator asks once per bunch and must never
/// wait on a socket, so a background thread refreshes a cached λ and <see cref="MeanElectronsPerBunch"/> reads the
/// cache. Until the first answer the configured λ stands; when the port stops answering the last λ is kept (the beam
/// does not vanish with its monitor), the misses are counted and the connection is retried with back-off.
/// </summary>
public sealed class FacilityBeamClient : IBeamIntensitySource, IDisposable
{
    public const string LambdaQuery = "BEAM:LAMBDA?";

    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _refresh;
    private readonly TimeSpan _timeout;
    private readonly ILogger _log;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly ManualResetEventSlim _firstReading = new(false);
    private readonly Thread _thread;
    private double _lambda;
    private long _refreshes, _failures;
    private string? _lastError;
    private TcpClient? _client;
    private StreamReader? _reader;
    private Stream? _stream;

    /// <param name="initialLambda">λ until the first answer (the configuration's <c>simulator.beam.lambda</c>).</param>
    public FacilityBeamClient(string host, int port, double initialLambda, ILogger log, TimeSpan? refresh = null, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        _host = host;
        _port = port;
        _lambda = initialLambda;
        _log = log;
        _refresh = refresh ?? TimeSpan.FromMilliseconds(200);
        _timeout = timeout ?? TimeSpan.FromSeconds(1);
        _thread = new Thread(Poll) { IsBackground = true, Name = $"beam {host}:{port}" };
        _thread.Start();
    }

    /// <summary>Parses <c>HOST:PORT</c> (the <c>--beam</c> option).</summary>
    /// <exception cref="UsageException">Not HOST:PORT with a port 1–65535.</exception>
    public static (string Host, int Port) ParseAddress(string address)
    {
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new UsageException($"--beam '{address}' is not allowed: HOST:PORT of the facility's beam port with a port 1–65535 (e.g. 127.0.0.1:5029)");
        return (address[..colon].Trim('[', ']'), port);
    }

    public string Address => $"{_host}:{_port}";

    /// <summary>The latest λ (mean electrons per bunch); never blocks.</summary>
    public double Lambda => Volatile.Read(ref _lambda);

    public double MeanElectronsPerBunch(DateTimeOffset bunchTime) => Lambda;

    /// <summary>Answers received.</summary>
    public long Refreshes => Interlocked.Read(ref _refreshes);

    /// <summary>Queries that failed (no connection, no answer in time, an answer that is not a λ).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Waits for the first answer; false after <paramref name="timeout"/> (λ is then still the initial one).</summary>
    public bool WaitForFirstReading(TimeSpan timeout) => _firstReading.Wait(timeout);

    private void Poll()
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        bool failing = false;
        while (!_stop.IsSet)
        {
            TimeSpan wait = _refresh;
            try
            {
                double lambda = Query();
                Volatile.Write(ref _lambda, lambda);
                Interlocked.Increment(ref _refreshes);
                _firstReading.Set();
                if (failing) _log.Information("beam port {Address} answers again: λ = {Lambda}", Address, lambda);
                failing = false;
                backoff = TimeSpan.FromMilliseconds(500);
            }
            catch (Exception e) when (e is IOException or SocketException or FormatException or ObjectDisposedException)
            {
                Interlocked.Increment(ref _failures);
                Volatile.Write(ref _lastError, e.Message);
                if (!failing)
                    _log.Warning("beam port {Address}: {Error}; keeping λ = {Lambda} and retrying", Address, e.Message, Lambda);
                failing = true;
                Disconnect();
                wait = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
            _stop.Wait(wait);
        }
        Disconnect();
    }

    private double Query()
    {
        if (_client is null)
        {
            var client = new TcpClient { NoDelay = true, ReceiveTimeout = (int)_timeout.TotalMilliseconds, SendTimeout = (int)_timeout.TotalMilliseconds };
            try
            {
                if (!client.ConnectAsync(_host, _port).Wait(_timeout))
                    throw new IOException($"no connection within {_timeout.TotalMilliseconds:0} ms");
            }
            catch (AggregateException e) when (e.InnerException is SocketException s)
            {
                client.Dispose();
                throw s;
            }
            catch
            {
                client.Dispose();
                throw;
            }
            _client = client;
            _stream = client.GetStream();
            _reader = new StreamReader(_stream, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, bufferSize: 256);
        }
        _stream!.Write(Encoding.ASCII.GetBytes(LambdaQuery + "\n"));
        string? line = _reader!.ReadLine() ?? throw new IOException("the beam port closed the connection");
        if (!double.TryParse(line.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double lambda) || !double.IsFinite(lambda) || lambda < 0)
            throw new FormatException($"answer '{(line.Length <= 40 ? line : line[..40])}' to {LambdaQuery} is not a λ (a finite number ≥ 0)");
        return lambda;
    }

    private void Disconnect()
    {
        _reader?.Dispose();
        _client?.Dispose();
        _reader = null;
        _stream = null;
        _client = null;
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
    }
}
