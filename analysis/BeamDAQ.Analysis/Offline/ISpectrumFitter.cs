using BeamDAQ.Analysis.Histograms;

namespace BeamDAQ.Analysis.Offline;

/// <summary>Fits the multiplicity model to a run's amplitude spectrum (the offline analysis's seam to the fit).</summary>
public interface ISpectrumFitter
{
    /// <param name="histogram">The binned amplitudes (volts).</param>
    /// <param name="amplitudes">The same amplitudes unbinned, in event order.</param>
    SpectrumFitSummary Fit(Histogram1D histogram, ReadOnlySpan<double> amplitudes);
}
