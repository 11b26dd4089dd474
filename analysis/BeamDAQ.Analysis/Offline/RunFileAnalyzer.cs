using System.Collections.Concurrent;
using System.Diagnostics;
using BeamDAQ.Analysis.Characterization;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;
using Serilog;

namespace BeamDAQ.Analysis.Offline;

/// <summary>
/// Analyses one run file through the <see cref="EventPipeline"/>: the calling thread reads and CRC-checks the
/// records (slices of the memory-mapped file, never copied); events go in batches to worker pipelines that decode
/// them and extract features into their own <see cref="FeatureTable"/> (and <see cref="NoiseSink"/>), merged and
/// put back in trigger order at the end. Damage ends the reading of that file with its end state and offset;
/// undecodable records are skipped and counted; nothing here throws for bad file contents.
/// </summary>
public sealed class RunFileAnalyzer
{
    private const int BatchRecords = 256;
    private const int BatchBytes = 4 << 20;
    private const long ProgressStep = 8 << 20;

    private readonly OfflineOptions _options;
    private readonly ISpectrumFitter? _fitter;
    private readonly ILogger? _logger;

    public RunFileAnalyzer(OfflineOptions options, ISpectrumFitter? fitter = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Features.Validate();
        _options = options;
        _fitter = fitter;
        _logger = logger;
    }

    /// <summary>Analyses <paramref name="path"/> with <paramref name="workers"/> decoding threads (1: all on this thread).</summary>
    /// <param name="progress">Receives the number of bytes read so far, now and then.</param>
    public RunFileAnalysis Analyze(string path, int workers = 1, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        RunFileReader reader;
        try
        {
            reader = RunFileReader.Open(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new RunFileAnalysis { Path = path, Failure = $"cannot open '{path}': {e.Message}", Elapsed = clock.Elapsed };
        }

        using (reader)
        {
            var main = NewWorker(countTriggerGaps: workers <= 1);
            var pool = workers > 1 ? new WorkerPool(this, workers) : null;
            bool startsWithRunBegin = false;
            long lastProgress = 0;
            var damaged = new List<RecordProblem>();
            try
            {
                long goodSinceSkip = -1;
                while (true)
                {
                    while (reader.TryRead(out var record))
                    {
                        if (reader.RecordsRead == 1) startsWithRunBegin = record.Topic == Topics.RunBegin;
                        if (pool is not null && record.Topic == Topics.Event)
                            pool.Add(record);
                        else
                            main.Pipeline.Accept(record.Topic, record.Payload, record.Offset);
                        goodSinceSkip++;

                        if (record.EndOffset - lastProgress >= ProgressStep)
                        {
                            lastProgress = record.EndOffset;
                            progress?.Report(lastProgress);
                            cancellation.ThrowIfCancellationRequested();
                        }
                    }
                    // A record whose CRC fails is stepped over by its length field. Two damaged records in a row
                    // mean the length itself cannot be trusted: reading stops there, with that end state.
                    if (!_options.SkipDamagedRecords || reader.EndState != RunFileEndState.CrcMismatch || goodSinceSkip == 0
                        || damaged.Count >= EventPipeline.MaxKeptProblems)
                        break;
                    damaged.Add(new RecordProblem(reader.EndOffset, "(damaged)", reader.EndDescription));
                    _logger?.Warning("{File}: skipped a damaged record: {Description}", path, reader.EndDescription);
                    reader.TrySkipDamagedRecord();
                    goodSinceSkip = 0;
                }
            }
            finally
            {
                pool?.Complete();
            }
            progress?.Report(reader.Length);

            var all = pool is null ? [main] : pool.Workers.Prepend(main).ToList();
            var merged = Merge(all);
            merged.Table.SortByTrigger();
            var (gaps, repeats) = merged.Table.TriggerGaps();

            if (reader.EndState != RunFileEndState.CleanEnd)
                _logger?.Warning("{File}: {EndDescription}", path, reader.EndDescription);
            var spectra = BuildSpectra(merged.Table, path);
            return new RunFileAnalysis
            {
                Path = path,
                Length = reader.Length,
                EndState = reader.EndState,
                EndOffset = reader.EndOffset,
                EndDescription = reader.EndDescription,
                Records = reader.RecordsRead,
                StartsWithRunBegin = startsWithRunBegin,
                EndsWithRunEnd = reader.EndsWithRunEnd,
                Run = main.Pipeline.Run,
                RunEnd = main.Pipeline.RunEnd,
                Counters = merged.Counters,
                Problems = merged.Problems,
                DamagedRecords = damaged,
                Features = merged.Table,
                TriggerGaps = gaps,
                RepeatedTriggers = repeats,
                Spectra = spectra,
                Noise = merged.Noise?.Results() ?? [],
                Elapsed = clock.Elapsed,
            };
        }
    }

    private IReadOnlyList<ChannelSpectrum> BuildSpectra(FeatureTable table, string path)
    {
        var channels = table.ChannelIds;
        int? fitChannel = _options.FitChannel ?? (channels.Count > 0 ? channels[0] : null);
        var spectra = new List<ChannelSpectrum>();
        foreach (int id in channels)
        {
            var amplitudes = table.Amplitudes(id);
            var histogram = Histograms.Histogram1D.FromSpectrum(amplitudes);
            long overRange = table.ChannelColumn(id).Count(f => f.ChannelId != 0 && f.IsOverRange);
            SpectrumFitSummary? fit = null;
            if (id == fitChannel && _fitter is not null)
            {
                try
                {
                    fit = _fitter.Fit(histogram, amplitudes);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
                {
                    fit = new SpectrumFitSummary(false, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0, double.NaN, $"fit failed: {e.Message}");
                    _logger?.Warning("{File}: fit of channel {Channel} failed: {Message}", path, id, e.Message);
                }
            }
            spectra.Add(new ChannelSpectrum(id, histogram, amplitudes.Length, overRange, fit));
        }
        return spectra;
    }

    private Worker NewWorker(bool countTriggerGaps)
    {
        var table = new FeatureTable();
        var noise = _options.Noise is { } region ? new NoiseSink(region, _options.NoiseSegmentLength, _options.Features.Channels) : null;
        IEventSink[] sinks = noise is null ? [table] : [table, noise];
        return new Worker(new EventPipeline(_options.Features, sinks, _logger) { CountTriggerGaps = countTriggerGaps }, table, noise);
    }

    private static (FeatureTable Table, NoiseSink? Noise, PipelineCounters Counters, IReadOnlyList<RecordProblem> Problems) Merge(IReadOnlyList<Worker> workers)
    {
        var table = new FeatureTable();
        NoiseSink? noise = null;
        var counters = new PipelineCounters();
        var problems = new List<RecordProblem>();
        foreach (var worker in workers)
        {
            table.Merge(worker.Table);
            if (worker.Noise is not null)
            {
                if (noise is null) noise = worker.Noise;
                else noise.Merge(worker.Noise);
            }
            counters.Add(worker.Pipeline.Counters);
            problems.AddRange(worker.Pipeline.Problems);
        }
        problems.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        return (table, noise, counters, problems.Take(EventPipeline.MaxKeptProblems).ToList());
    }

    private sealed record Worker(EventPipeline Pipeline, FeatureTable Table, NoiseSink? Noise);

    /// <summary>Decoding threads fed with batches of event records; payloads are slices of the mapped file.</summary>
    private sealed class WorkerPool
    {
        private readonly BlockingCollection<List<RunFileRecord>> _queue;
        private readonly Thread[] _threads;
        private readonly Exception?[] _failures;
        private List<RunFileRecord> _batch = new(BatchRecords);
        private long _batchBytes;

        public WorkerPool(RunFileAnalyzer owner, int count)
        {
            _queue = new BlockingCollection<List<RunFileRecord>>(boundedCapacity: 4 * count);
            Workers = Enumerable.Range(0, count).Select(_ => owner.NewWorker(countTriggerGaps: false)).ToArray();
            _failures = new Exception?[count];
            _threads = new Thread[count];
            for (int i = 0; i < count; i++)
            {
                int index = i;
                _threads[i] = new Thread(() => Run(index)) { IsBackground = true, Name = $"analysis worker {i + 1}" };
                _threads[i].Start();
            }
        }

        public IReadOnlyList<Worker> Workers { get; }

        public void Add(in RunFileRecord record)
        {
            _batch.Add(record);
            _batchBytes += record.Payload.Length;
            if (_batch.Count >= BatchRecords || _batchBytes >= BatchBytes) Flush();
        }

        private void Flush()
        {
            if (_batch.Count == 0) return;
            _queue.Add(_batch);
            _batch = new List<RunFileRecord>(BatchRecords);
            _batchBytes = 0;
        }

        /// <summary>Hands over the last batch and waits for every worker; rethrows a worker's unexpected failure.</summary>
        public void Complete()
        {
            try
            {
                Flush();
            }
            finally
            {
                _queue.CompleteAdding();
                foreach (var thread in _threads) thread.Join();
            }
            foreach (var failure in _failures)
                if (failure is not null) throw new InvalidOperationException($"an analysis worker failed: {failure.Message}", failure);
        }

        private void Run(int index)
        {
            var pipeline = Workers[index].Pipeline;
            try
            {
                foreach (var batch in _queue.GetConsumingEnumerable())
                    foreach (var record in batch)
                        pipeline.Accept(record.Topic, record.Payload, record.Offset);
            }
            catch (Exception e)
            {
                _failures[index] = e;
                // Keep draining so the reading thread never blocks on a full queue.
                foreach (var _ in _queue.GetConsumingEnumerable()) { }
            }
        }
    }
}
