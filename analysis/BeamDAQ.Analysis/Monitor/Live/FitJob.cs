using BeamDAQ.Analysis.Histograms;

namespace BeamDAQ.Analysis.Monitor.Live;

/// <summary>
/// What a fit of one channel's spectrum is made from, copied out under the lock so the fit runs without it:
/// the kept amplitudes (binned exactly as offline) or, when not all were kept, a copy of the histogram, and the
/// run's <see cref="Fits.CalibrationKey"/> (which calibrations fit it).
/// </summary>
public sealed record FitJob(int ChannelId, ulong? Run, long Version, long Generation, long Entries, double[]? Amplitudes, Histogram1D? Histogram, bool Final,
    string CalibrationKey)
{
    /// <summary>The histogram to fit: the offline binning of all amplitudes, or the copy.</summary>
    public Histogram1D BuildHistogram() => Amplitudes is { } values ? Histogram1D.FromSpectrum(values) : Histogram!;
}
