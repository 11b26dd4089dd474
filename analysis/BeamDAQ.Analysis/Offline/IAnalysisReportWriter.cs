namespace BeamDAQ.Analysis.Offline;

/// <summary>
/// Writes a report file (e.g. an HTML page with spectra and fits) of an offline analysis: the hook behind
/// <c>analyze --report F</c>. The command offers the option only when a writer is given to it.
/// </summary>
public interface IAnalysisReportWriter
{
    /// <summary>
    /// Writes the report of <paramref name="results"/> (one per run file, in the order given) to <paramref name="path"/>;
    /// <paramref name="fitter"/> is the one the analysis used, so the report fits parts of a run (λ over the run) the same way.
    /// </summary>
    void Write(string path, IReadOnlyList<RunFileAnalysis> results, ISpectrumFitter? fitter);
}
