namespace BeamDAQ.Analysis.Characterization;

/// <summary>Which samples of each record are taken as noise.</summary>
public enum NoiseRegion
{
    /// <summary>The valid pre-trigger samples: the baseline before the pulse, usable in beam runs.</summary>
    PreTrigger,
    /// <summary>Every sample: for beam-off runs and for hot/cold noise-source measurements.</summary>
    WholeRecord,
}
