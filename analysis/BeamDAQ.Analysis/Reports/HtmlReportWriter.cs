using BeamDAQ.Analysis.Monitor.Web;
using BeamDAQ.Analysis.Offline;

namespace BeamDAQ.Analysis.Reports;

/// <summary>
/// <c>analyze FILE... --report out.html</c>: one self-contained HTML page of the runs (spectra with the fitted
/// model and its components, λ over each run, noise, metadata from run.begin, alarms and trigger gaps), drawn
/// with the live monitor's own charts and opening offline.
/// </summary>
public sealed class HtmlReportWriter : IAnalysisReportWriter
{
    public void Write(string path, IReadOnlyList<RunFileAnalysis> results, ISpectrumFitter? fitter)
    {
        // The trend blocks are fitted like the whole run, without the profile interval (Hesse error suffices there).
        var blockFitter = fitter is MultiplicitySpectrumFitter m
            ? new MultiplicitySpectrumFitter(m.Options with { ProfileInterval = false, IncludeSpectrum = false })
            : fitter;
        string title = results.Count == 1
            ? $"Run {results[0].Run?.Run?.ToString() ?? Path.GetFileName(results[0].Path)}"
            : $"{results.Count} runs";
        var document = new ReportBuilder(blockFitter).Build(title, results);
        string html = HtmlPages.Report("BeamDAQ report — " + title, MonitorJson.SerializeToUtf8(document));
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, html);
    }
}
