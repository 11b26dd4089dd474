using BeamDAQ.Analysis.Histograms;

namespace BeamDAQ.Analysis.Offline;

/// <summary>The amplitude spectrum of one channel of a run file and, for the fitted channel, its multiplicity fit.</summary>
public sealed record ChannelSpectrum(int ChannelId, Histogram1D Histogram, long Amplitudes, long OverRange, SpectrumFitSummary? Fit);
