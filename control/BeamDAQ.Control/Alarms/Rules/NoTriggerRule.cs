using System.Globalization;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Alarms.Rules;

/// <summary>
/// A running daq that has counted no trigger for <c>limit</c>: the beam is off, the trigger cable is out or
/// the digitizer hangs. Fed by the daq's heartbeats; clock ticks let it fire also when the heartbeats
/// themselves stop. Clears on the next trigger or when the run stops.
/// </summary>
public sealed class NoTriggerRule(TimeSpan limit) : IAlarmRule
{
    public const string Source = "daq";

    private bool running;
    private uint? run;
    private ulong triggers;
    private DateTimeOffset lastTrigger;

    public void Evaluate(AlarmInput input, ICollection<AlarmCondition> verdicts)
    {
        switch (input)
        {
            case HeartbeatInput { Heartbeat: var h }:
                if (!h.Running)
                {
                    running = false;
                    verdicts.Add(Verdict(false, h.Time, "daq not running"));
                    return;
                }
                if (!running || h.Run != run || h.Triggers != triggers)
                    lastTrigger = h.Time; // a run start counts as the reference point
                running = true;
                run = h.Run;
                triggers = h.Triggers;
                verdicts.Add(Verdict(h.Time - lastTrigger >= limit, h.Time, null));
                return;
            case ClockTick { Now: var now } when running:
                verdicts.Add(Verdict(now - lastTrigger >= limit, now, null));
                return;
        }
    }

    private AlarmCondition Verdict(bool active, DateTimeOffset now, string? why)
    {
        string runText = run is uint r ? $" in run {r}" : "";
        string message = why ?? (active
            ? $"no trigger for {(now - lastTrigger).TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s{runText} (limit {limit.TotalSeconds:0.#} s, {triggers} triggers so far)"
            : $"triggers arriving{runText} ({triggers} so far)");
        return new AlarmCondition(AlarmCodes.NoTrigger, Source, active, AlarmSeverity.Error, message);
    }
}
