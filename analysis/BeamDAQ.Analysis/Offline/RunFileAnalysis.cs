using BeamDAQ.Analysis.Characterization;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Analysis.Offline;

/// <summary>
/// Everything the offline analysis learned from one run file: how reading ended (and where), what was skipped,
/// the run's announced metadata, the features of every event, the amplitude spectra and the fit.
/// A file that could not be opened at all has <see cref="Failure"/> set and nothing else.
/// </summary>
public sealed class RunFileAnalysis
{
    public required string Path { get; init; }
    public long Length { get; init; }
    public string? Failure { get; init; }

    public RunFileEndState EndState { get; init; }
    public long EndOffset { get; init; }
    public string EndDescription { get; init; } = "";
    public long Records { get; init; }
    public bool StartsWithRunBegin { get; init; }
    public bool EndsWithRunEnd { get; init; }

    public RunInfo? Run { get; init; }
    public RunEndInfo? RunEnd { get; init; }
    public PipelineCounters Counters { get; init; } = new();
    public IReadOnlyList<RecordProblem> Problems { get; init; } = [];
    /// <summary>Records whose CRC failed and that were stepped over (reading went on behind each).</summary>
    public IReadOnlyList<RecordProblem> DamagedRecords { get; init; } = [];
    /// <summary>Records not analysed: undecodable payloads plus damaged records stepped over.</summary>
    public long SkippedRecords => Counters.Undecodable + DamagedRecords.Count;
    public FeatureTable Features { get; init; } = new();
    /// <summary>Trigger numbers missing from the file's event sequence.</summary>
    public long TriggerGaps { get; init; }
    public long RepeatedTriggers { get; init; }
    public IReadOnlyList<ChannelSpectrum> Spectra { get; init; } = [];
    public IReadOnlyList<ChannelNoise> Noise { get; init; } = [];
    public TimeSpan Elapsed { get; init; }

    /// <summary>Whether the file was read to a clean end (it may still lack run.end, and damaged records may have been stepped over).</summary>
    public bool ReadToCleanEnd => Failure is null && EndState == RunFileEndState.CleanEnd;

    /// <summary>Read to a clean end with nothing damaged.</summary>
    public bool Intact => ReadToCleanEnd && DamagedRecords.Count == 0;

    /// <summary>Missed triggers: the acquisition's own count from run.end, else the gaps seen in the file.</summary>
    public long Missed => RunEnd?.Missed is { } missed ? (long)missed : TriggerGaps;

    /// <summary>The spectrum that was fitted, if any.</summary>
    public ChannelSpectrum? FittedSpectrum => Spectra.FirstOrDefault(s => s.Fit is not null);
}
