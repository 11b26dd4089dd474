using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Offline;

namespace BeamDAQ.Analysis.Monitor.Web;

/// <summary>The spectra of an earlier run for the page's reference overlay.</summary>
public sealed record ReferenceDocument(string Name, ulong? Run, long Events, string? Error, IReadOnlyList<ReferenceChannel> Channels);

public sealed record ReferenceChannel(int Channel, Histogram1DDto Histogram);

/// <summary>
/// Builds a reference from a run file with the offline analysis (the same features, hence the same amplitude
/// definition as the live spectra). A damaged file gives the spectra up to the damage and says so.
/// </summary>
public sealed class ReferenceSpectra(FeatureSettings features)
{
    public ReferenceDocument FromRunFile(string path, string name)
    {
        var analysis = new RunFileAnalyzer(new OfflineOptions { Features = features, WorkersPerFile = 1 }).Analyze(path, workers: 1);
        if (analysis.Failure is { } failure)
            return new ReferenceDocument(name, null, 0, failure, []);
        if (analysis.Spectra.Count == 0)
            return new ReferenceDocument(name, analysis.Run?.Run, analysis.Counters.Events,
                $"{name}: no event with an amplitude ({analysis.EndState}: {analysis.EndDescription})", []);
        string? note = analysis.ReadToCleanEnd ? null : $"read up to offset {analysis.EndOffset}: {analysis.EndDescription}";
        return new ReferenceDocument(note is null ? name : $"{name} ({note})", analysis.Run?.Run, analysis.Counters.Events, null,
            analysis.Spectra.Select(s => new ReferenceChannel(s.ChannelId, s.Histogram.ToDto())).ToList());
    }
}
