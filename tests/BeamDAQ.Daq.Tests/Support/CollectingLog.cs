using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace BeamDAQ.Daq.Tests.Support;

/// <summary>A Serilog logger whose events are kept in memory, so tests can read what was logged.</summary>
internal sealed class CollectingLog : ILogEventSink
{
    private readonly List<LogEvent> _events = [];

    public void Emit(LogEvent logEvent)
    {
        lock (_events) _events.Add(logEvent);
    }

    /// <summary>A new logger writing here (debug and up).</summary>
    public Logger CreateLogger() => new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(this).CreateLogger();

    /// <summary>The rendered messages so far.</summary>
    public IReadOnlyList<string> Messages
    {
        get { lock (_events) return _events.Select(e => e.RenderMessage()).ToList(); }
    }

    public IReadOnlyList<string> MessagesAt(LogEventLevel level)
    {
        lock (_events) return _events.Where(e => e.Level == level).Select(e => e.RenderMessage()).ToList();
    }
}
