using Serilog;

namespace BeamDAQ.Analysis.Offline;

/// <summary>
/// Analyses many run files on all cores: several files at once when there are many, several decoding threads
/// per file when there are few, so one large file also uses the whole machine. One file's failure never
/// stops the others; results come back in the order the files were given.
/// </summary>
public sealed class RunFileBatch
{
    private readonly OfflineOptions _options;
    private readonly RunFileAnalyzer _analyzer;

    public RunFileBatch(OfflineOptions options, ISpectrumFitter? fitter = null, ILogger? logger = null)
    {
        _options = options;
        _analyzer = new RunFileAnalyzer(options, fitter, logger);
    }

    /// <summary>How many files run at once and how many decoding threads each gets, for <paramref name="files"/> files.</summary>
    public (int ParallelFiles, int WorkersPerFile) Plan(int files)
    {
        int cores = Environment.ProcessorCount;
        int parallel = _options.ParallelFiles > 0 ? _options.ParallelFiles : cores;
        parallel = Math.Max(1, Math.Min(parallel, files));
        // The reading thread mostly waits on the page cache and checks CRCs; the decoding threads do the work.
        int workers = _options.WorkersPerFile > 0 ? _options.WorkersPerFile : Math.Max(1, cores / parallel);
        return (parallel, workers);
    }

    /// <param name="progress">Called with (file index, bytes read in that file) from the analysing threads.</param>
    public IReadOnlyList<RunFileAnalysis> Analyze(IReadOnlyList<string> paths, Action<int, long>? progress = null, CancellationToken cancellation = default)
    {
        var results = new RunFileAnalysis[paths.Count];
        var (parallel, workers) = Plan(paths.Count);
        Parallel.For(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellation }, i =>
        {
            var fileProgress = progress is null ? null : new InlineProgress(bytes => progress(i, bytes));
            try
            {
                results[i] = _analyzer.Analyze(paths[i], workers, fileProgress, cancellation);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                results[i] = new RunFileAnalysis { Path = paths[i], Failure = $"analysis of '{paths[i]}' failed: {e.Message}" };
            }
        });
        return results;
    }

    /// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; would post to a context).</summary>
    private sealed class InlineProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
