using BeamDAQ.Protocol.Hosting;
using Serilog;

namespace BeamDAQ.Control.SlowControl.Polling;

/// <summary>
/// Reads every device at a fixed interval and hands the readings, and each device's lost/back transitions,
/// to the subscribers. Devices are polled concurrently and delivered as each finishes, so a silent device
/// costs only its own time-out; a device still busy from the last interval is skipped, not queued. A
/// subscriber that throws is counted and logged and does not stop the others.
/// </summary>
public sealed class SlowControlPoller : IAsyncDisposable
{
    private readonly IReadOnlyList<IPolledDevice> devices;
    private readonly IClock clock;
    private readonly ILogger log;
    private readonly object deliveryGate = new();
    private readonly List<ISlowControlObserver> observers = [];
    private readonly Dictionary<string, bool> online = [];
    private readonly Dictionary<string, Task> inFlight = [];
    private long readingsDelivered;
    private long subscriberFailures;
    private long skippedPolls;

    public SlowControlPoller(IEnumerable<IPolledDevice> devices, TimeSpan interval, IClock clock, ILogger log)
    {
        if (interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "the poll interval must be positive");
        this.devices = devices.ToArray();
        var duplicate = this.devices.GroupBy(d => d.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"two devices are named '{duplicate.Key}'", nameof(devices));
        Interval = interval;
        this.clock = clock;
        this.log = log;
    }

    public TimeSpan Interval { get; }
    public IReadOnlyList<IPolledDevice> Devices => devices;

    public long ReadingsDelivered => Interlocked.Read(ref readingsDelivered);
    public long SubscriberFailures => Interlocked.Read(ref subscriberFailures);

    /// <summary>Polls not started because the device's previous poll was still running.</summary>
    public long SkippedPolls => Interlocked.Read(ref skippedPolls);

    /// <summary>Whether each device answered its last poll (absent before its first poll).</summary>
    public IReadOnlyDictionary<string, bool> Online
    {
        get { lock (deliveryGate) return new Dictionary<string, bool>(online); }
    }

    public IDisposable Subscribe(ISlowControlObserver observer)
    {
        lock (deliveryGate)
            observers.Add(observer);
        return new Subscription(this, observer);
    }

    /// <summary>One round: polls every idle device concurrently and returns when all of them have been delivered.</summary>
    public async Task<IReadOnlyList<DevicePoll>> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        var started = new List<Task<DevicePoll>>();
        lock (inFlight)
        {
            foreach (var device in devices)
            {
                if (inFlight.TryGetValue(device.Name, out var running) && !running.IsCompleted)
                {
                    Interlocked.Increment(ref skippedPolls);
                    continue;
                }
                var task = PollAndDeliverAsync(device, cancellationToken);
                inFlight[device.Name] = task;
                started.Add(task);
            }
        }
        return await Task.WhenAll(started).ConfigureAwait(false);
    }

    /// <summary>Polls every <see cref="Interval"/> until cancelled; a slow device never delays the others' next round.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                // Not awaited: the next tick must come on time even while a lost device is timing out.
                _ = PollOnceAsync(cancellationToken);
            } while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await WhenPollsInFlightEndAsync().ConfigureAwait(false);
    }

    private async Task<DevicePoll> PollAndDeliverAsync(IPolledDevice device, CancellationToken cancellationToken)
    {
        await Task.Yield(); // devices start in parallel even if one completes synchronously
        DevicePoll poll;
        try
        {
            poll = await device.PollAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // A bug in a device adapter must not stop slow control: the device counts as lost and says why.
            log.Error(e, "{Device}: poll failed", device.Name);
            poll = DevicePoll.Lost(device.Name, $"poll failed: {e.GetType().Name}: {e.Message}");
        }
        Deliver(poll);
        return poll;
    }

    private void Deliver(DevicePoll poll)
    {
        lock (deliveryGate)
        {
            if (!online.TryGetValue(poll.Device, out bool wasOnline) || wasOnline != poll.Online)
            {
                online[poll.Device] = poll.Online;
                var change = new DeviceStateChange(poll.Device, poll.Online, poll.Problem, clock.UtcNow);
                if (poll.Online)
                    log.Information("{Device}: online", poll.Device);
                else
                    log.Warning("{Device}: device lost: {Problem}", poll.Device, poll.Problem);
                foreach (var observer in observers)
                    Notify(observer, o => o.OnDeviceState(change));
            }
            if (poll.Online && poll.Problem.Length > 0)
                log.Warning("{Device}: {Problem}", poll.Device, poll.Problem);
            foreach (var reading in poll.Readings)
                foreach (var observer in observers)
                    Notify(observer, o => o.OnReading(reading));
            Interlocked.Add(ref readingsDelivered, poll.Readings.Count);
        }
    }

    private void Notify(ISlowControlObserver observer, Action<ISlowControlObserver> call)
    {
        try
        {
            call(observer);
        }
        catch (Exception e)
        {
            long failures = Interlocked.Increment(ref subscriberFailures);
            if (failures <= 10 || failures % 1000 == 0)
                log.Error(e, "slow-control subscriber {Observer} failed ({Failures} failures so far)", observer.GetType().Name, failures);
        }
    }

    public ValueTask DisposeAsync() => new(WhenPollsInFlightEndAsync());

    /// <summary>Waits for the polls still running (a cancelled one ends quietly).</summary>
    private async Task WhenPollsInFlightEndAsync()
    {
        Task[] pending;
        lock (inFlight)
            pending = inFlight.Values.ToArray();
        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Subscription(SlowControlPoller poller, ISlowControlObserver observer) : IDisposable
    {
        public void Dispose()
        {
            lock (poller.deliveryGate)
                poller.observers.Remove(observer);
        }
    }
}
