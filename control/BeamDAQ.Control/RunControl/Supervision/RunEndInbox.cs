using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.RunControl.Supervision;

/// <summary>
/// The front end's <c>run.end</c> messages, kept by run number without run control's lock: a stop holds that lock
/// while it waits for the daq's reply, and the <c>run.end</c> that follows (with the dead time and the device-loss
/// gaps the stop reply lacks) must still be able to arrive.
/// </summary>
public sealed class RunEndInbox
{
    private const int Capacity = 16;
    private readonly object _gate = new();   // a Monitor: Wait/PulseAll
    private readonly Dictionary<long, RunEndMessage> _ends = [];
    private readonly Queue<long> _order = new();

    public void Post(RunEndMessage end)
    {
        ArgumentNullException.ThrowIfNull(end);
        lock (_gate)
        {
            if (_ends.TryAdd(end.Run, end))
            {
                _order.Enqueue(end.Run);
                while (_order.Count > Capacity) _ends.Remove(_order.Dequeue());
            }
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The <c>run.end</c> of <paramref name="run"/>, waiting at most <paramref name="timeout"/> for it.</summary>
    public RunEndMessage? Wait(long run, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (true)
            {
                if (_ends.TryGetValue(run, out var end)) return end;
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) return null;
                Monitor.Wait(_gate, left);
            }
        }
    }
}
