using BeamDAQ.Control.Alarms;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Control.RunControl.Recorders;

/// <summary>
/// Alarms into the catalog: the control node's own (alarm-engine transitions, stored and published on <c>alarm</c>)
/// and the front end's (received on the daq's <c>alarm</c> topic, stored only — the daq already published them).
/// Each is attached to the run being recorded at the time, or to none. A failed write is counted and logged.
/// </summary>
public sealed class AlarmRecorder
{
    private readonly IRunCatalog _catalog;
    private readonly EventPublisher? _publisher;
    private readonly Func<long?> _currentRun;
    private readonly ILogger _log;
    private long _stored, _failed;

    public AlarmRecorder(IRunCatalog catalog, EventPublisher? publisher, Func<long?> currentRun, ILogger log)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _publisher = publisher;
        _currentRun = currentRun ?? throw new ArgumentNullException(nameof(currentRun));
        _log = log;
    }

    public long Stored => Interlocked.Read(ref _stored);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>An alarm-engine transition: a raise with its severity, a clear as <c>info</c> saying so.</summary>
    public void OnTransition(AlarmTransition transition)
    {
        var message = transition.ToMessage();
        _publisher?.Publish(Topics.Alarm, message.ToMap());
        string text = transition.Kind == AlarmTransitionKind.Cleared ? "cleared: " + transition.Message : transition.Message;
        Store(message.ToAlarmRecord(_currentRun()) with { Message = text });
    }

    /// <summary>An alarm the front end published.</summary>
    public void OnDaqAlarm(AlarmMessage alarm) => Store(alarm.ToAlarmRecord(_currentRun()));

    private void Store(AlarmRecord record)
    {
        try
        {
            _catalog.AddAlarm(record);
            Interlocked.Increment(ref _stored);
        }
        catch (Exception e) when (e is CatalogException or ArgumentException or InvalidOperationException or System.Data.Common.DbException)
        {
            long failed = Interlocked.Increment(ref _failed);
            _log.Error("alarm {Code} from {Source} not stored ({Failed} so far): {Error}", record.Code, record.Source, failed, e.Message);
        }
    }
}
