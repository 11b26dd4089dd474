using BeamDAQ.Analysis.Characterization;
using BeamDAQ.Analysis.Features;

namespace BeamDAQ.Analysis.Offline;

/// <summary>How run files are analysed offline.</summary>
public sealed record OfflineOptions
{
    public FeatureSettings Features { get; init; } = FeatureSettings.Default;

    /// <summary>The channel whose amplitude spectrum is fitted; null: the lowest channel the file carries.</summary>
    public int? FitChannel { get; init; }

    /// <summary>Also measure noise (RMS, spectrum) from this region; null: no noise measurement.</summary>
    public NoiseRegion? Noise { get; init; }

    /// <summary>Welch segment length for the noise spectrum.</summary>
    public int NoiseSegmentLength { get; init; } = 256;

    /// <summary>
    /// Threads that decode and extract features of one file beside its reading thread; 0: decided by how many
    /// files share the machine. 1 runs everything on the reading thread.
    /// </summary>
    public int WorkersPerFile { get; init; }

    /// <summary>Step over a record whose CRC fails and read on behind it (false: stop reading at the first damage).</summary>
    public bool SkipDamagedRecords { get; init; } = true;

    /// <summary>Files analysed at the same time; 0: one per core.</summary>
    public int ParallelFiles { get; init; }
}
