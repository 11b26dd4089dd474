using BeamDAQ.Analysis.Pipeline;
using Serilog;

namespace BeamDAQ.Analysis.Monitor.Ingest;

/// <summary>
/// Drains the <see cref="IngestQueue"/> into the <see cref="EventPipeline"/> on one thread: the same pipeline
/// the offline analysis runs over run files, so the live spectra are the offline spectra of the events seen.
/// </summary>
public sealed class PipelineThread : IDisposable
{
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly IngestQueue _queue;
    private readonly EventPipeline _pipeline;
    private readonly ILogger? _log;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _processed;

    public PipelineThread(IngestQueue queue, EventPipeline pipeline, ILogger? log = null)
    {
        _queue = queue;
        _pipeline = pipeline;
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "monitor pipeline" };
    }

    public EventPipeline Pipeline => _pipeline;

    /// <summary>Messages handed to the pipeline.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    public void Start() => _thread.Start();

    private void Run()
    {
        try
        {
            while (!_stopping || !_queue.IsCompleted)
            {
                if (!_queue.TryDequeue(StopCheckInterval, out var item))
                {
                    if (_stopping) return;
                    continue;
                }
                // The pipeline counts undecodable payloads and failing sinks itself; nothing here throws for bad data.
                _pipeline.Accept(item.Topic, item.Payload);
                Interlocked.Increment(ref _processed);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log?.Error(e, "The monitor's analysis pipeline stopped");
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _queue.Complete();
        if (_thread.IsAlive) _thread.Join(TimeSpan.FromSeconds(5));
    }
}
