using BeamDAQ.Control.SlowControl;
using BeamDAQ.Protocol.Hosting;
using Serilog;

namespace BeamDAQ.Control.Alarms;

/// <summary>
/// Runs every rule on every input and turns the rules' verdicts into alarm transitions: a (code, source)
/// whose verdict becomes active is raised once; when it becomes inactive it is cleared once. Subscribe it to
/// the slow-control poller, feed it the daq's heartbeats and call <see cref="Tick"/> now and then.
/// Listeners are called outside the engine's lock; one that throws is counted and cannot stop the others.
/// </summary>
public sealed class AlarmEngine : ISlowControlObserver
{
    private readonly object gate = new();
    private readonly IReadOnlyList<IAlarmRule> rules;
    private readonly IClock clock;
    private readonly ILogger log;
    private readonly Dictionary<(string Code, string Source), Alarm> active = [];
    private readonly List<Action<AlarmTransition>> listeners = [];
    private readonly List<AlarmCondition> verdicts = [];
    private long listenerFailures;

    public AlarmEngine(IEnumerable<IAlarmRule> rules, IClock clock, ILogger log)
    {
        this.rules = rules.ToArray();
        this.clock = clock;
        this.log = log;
    }

    public long ListenerFailures => Interlocked.Read(ref listenerFailures);

    /// <summary>The alarms raised and not yet cleared, oldest first.</summary>
    public IReadOnlyList<Alarm> Active
    {
        get { lock (gate) return active.Values.OrderBy(a => a.RaisedAt).ToArray(); }
    }

    public IDisposable Subscribe(Action<AlarmTransition> listener)
    {
        lock (gate)
            listeners.Add(listener);
        return new Unsubscriber(this, listener);
    }

    public void OnReading(SlowControlReading reading) => Evaluate(new ReadingInput(reading));

    public void OnDeviceState(DeviceStateChange change) => Evaluate(new DeviceStateInput(change));

    public void OnDaqHeartbeat(DaqHeartbeat heartbeat) => Evaluate(new HeartbeatInput(heartbeat));

    /// <summary>Lets time-based rules see that time passed without data.</summary>
    public void Tick() => Evaluate(new ClockTick(clock.UtcNow));

    /// <summary>Evaluates one input; returns the transitions it caused (also sent to the listeners).</summary>
    public IReadOnlyList<AlarmTransition> Evaluate(AlarmInput input)
    {
        List<AlarmTransition>? transitions = null;
        Action<AlarmTransition>[] targets;
        lock (gate)
        {
            verdicts.Clear();
            foreach (var rule in rules)
                rule.Evaluate(input, verdicts);
            foreach (var verdict in verdicts)
            {
                var key = (verdict.Code, verdict.Source);
                bool isActive = active.TryGetValue(key, out var alarm);
                if (verdict.Active && !isActive)
                {
                    alarm = new Alarm(verdict.Code, verdict.Source, verdict.Severity, verdict.Message, input.Time);
                    active[key] = alarm;
                    (transitions ??= []).Add(new AlarmTransition(AlarmTransitionKind.Raised, alarm, input.Time, verdict.Message));
                }
                else if (!verdict.Active && isActive)
                {
                    active.Remove(key);
                    (transitions ??= []).Add(new AlarmTransition(AlarmTransitionKind.Cleared, alarm!, input.Time, verdict.Message));
                }
            }
            if (transitions is null)
                return [];
            targets = listeners.ToArray();
        }

        foreach (var transition in transitions)
        {
            if (transition.Kind == AlarmTransitionKind.Raised)
                log.Warning("alarm raised: {Code} [{Source}] {Severity}: {Message}", transition.Alarm.Code, transition.Alarm.Source,
                    transition.Alarm.Severity, transition.Message);
            else
                log.Information("alarm cleared: {Code} [{Source}]: {Message}", transition.Alarm.Code, transition.Alarm.Source, transition.Message);
            foreach (var listener in targets)
            {
                try
                {
                    listener(transition);
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref listenerFailures);
                    log.Error(e, "alarm listener failed on {Transition}", transition);
                }
            }
        }
        return transitions;
    }

    private sealed class Unsubscriber(AlarmEngine engine, Action<AlarmTransition> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (engine.gate)
                engine.listeners.Remove(listener);
        }
    }
}
