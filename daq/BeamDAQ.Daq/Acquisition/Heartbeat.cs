using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Protocol.Events;
using Serilog;

namespace BeamDAQ.Daq.Acquisition;

/// <summary>
/// Publishes <c>daq.status</c> every interval, in every state, on its own thread and on the wall clock (the injected
/// clock of a simulation may not move while nothing waits on it). Observers (the live status line) get the same
/// snapshot; a failing observer or snapshot is logged and the beat goes on.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    private readonly TimeSpan _interval;
    private readonly Func<DaqStatusMessage> _snapshot;
    private readonly MessageOutlet _outlet;
    private readonly ILogger _log;
    private readonly Action<DaqStatusMessage>? _observer;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly Thread _thread;
    private long _beats;

    public Heartbeat(TimeSpan interval, Func<DaqStatusMessage> snapshot, MessageOutlet outlet, ILogger log, Action<DaqStatusMessage>? observer = null)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "the heartbeat interval must be positive");
        _interval = interval;
        _snapshot = snapshot;
        _outlet = outlet;
        _log = log;
        _observer = observer;
        _thread = new Thread(Beat) { IsBackground = true, Name = "heartbeat" };
        _thread.Start();
    }

    public long Beats => Interlocked.Read(ref _beats);

    private void Beat()
    {
        while (!_stop.Wait(_interval))
        {
            try
            {
                var status = _snapshot();
                _outlet.Send(Topics.DaqStatus, status.ToMap());
                Interlocked.Increment(ref _beats);
                _observer?.Invoke(status);
            }
            catch (Exception e)
            {
                _log.Warning("heartbeat: {Error}", e.Message);
            }
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
    }
}
