using BeamDAQ.Control.SlowControl.Transport;
using BeamDAQ.Protocol.Hosting;
using Serilog;

namespace BeamDAQ.Control.SlowControl.Clients;

/// <summary>
/// λ for the digitizer simulator, which asks once per bunch and must never wait on a socket: a background
/// loop refreshes a cached λ from the beam port every refresh interval and <see cref="CurrentLambda"/> reads
/// the cache. Its <see cref="MeanElectronsPerBunch"/> has the signature of the daq simulator's
/// IBeamIntensitySource, so an adapter there is one line. If the beam port stops answering the last known λ
/// is kept (the beam does not vanish with its monitor) and <see cref="FailedRefreshes"/> counts the misses.
/// </summary>
public sealed class BeamIntensityClient : IAsyncDisposable
{
    private readonly BeamMonitorClient beam;
    private readonly TimeSpan refreshInterval;
    private readonly ILogger log;
    private readonly IClock clock;
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;
    private double lambda;
    private long refreshes;
    private long failedRefreshes;
    private long lastUpdateTicks;

    /// <param name="initialLambda">λ reported before the first successful refresh; await <see cref="RefreshAsync"/> once before arming to avoid it.</param>
    public BeamIntensityClient(BeamMonitorClient beam, TimeSpan refreshInterval, IClock clock, ILogger log, double initialLambda = 0)
    {
        if (refreshInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(refreshInterval), refreshInterval, "the refresh interval must be positive");
        this.beam = beam;
        this.refreshInterval = refreshInterval;
        this.log = log;
        this.clock = clock;
        lambda = initialLambda;
    }

    /// <summary>The latest λ the beam port reported (mean electrons per bunch); never blocks.</summary>
    public double CurrentLambda() => Volatile.Read(ref lambda);

    /// <summary>The daq simulator's question: λ for the bunch at <paramref name="bunchTime"/> (the latest known).</summary>
    public double MeanElectronsPerBunch(DateTimeOffset bunchTime) => CurrentLambda();

    public long Refreshes => Interlocked.Read(ref refreshes);
    public long FailedRefreshes => Interlocked.Read(ref failedRefreshes);

    /// <summary>When λ was last read from the beam port (null before the first success).</summary>
    public DateTimeOffset? LastUpdate
    {
        get
        {
            long ticks = Interlocked.Read(ref lastUpdateTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Reads λ once and updates the cache on success.</summary>
    public async Task<DeviceResult<double>> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var result = await beam.GetLambdaAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsOk && result.Value >= 0)
        {
            Volatile.Write(ref lambda, result.Value);
            Interlocked.Increment(ref refreshes);
            Interlocked.Exchange(ref lastUpdateTicks, clock.UtcNow.UtcTicks);
        }
        else
        {
            Interlocked.Increment(ref failedRefreshes);
        }
        return result;
    }

    /// <summary>Starts the background refresh loop.</summary>
    public void Start()
    {
        if (loop is not null)
            return;
        loop = Task.Run(() => RefreshLoopAsync(stopping.Token));
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(refreshInterval);
        bool failing = false;
        do
        {
            var result = await RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (!result.IsOk && !failing)
                log.Warning("beam intensity: keeping λ = {Lambda:0.###}: {Problem}", CurrentLambda(), result.Problem);
            failing = !result.IsOk;
        } while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        if (loop is not null)
        {
            try { await loop.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        stopping.Dispose();
        await beam.DisposeAsync().ConfigureAwait(false); // owned: built for this client alone
    }
}
