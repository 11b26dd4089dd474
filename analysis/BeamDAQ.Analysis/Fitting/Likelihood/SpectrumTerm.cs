using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Spectrum;

namespace BeamDAQ.Analysis.Fitting.Likelihood;

/// <summary>
/// One histogram in a (joint) fit: its counts as [underflow, bins..., overflow], the model of its binning,
/// and where each model parameter sits in the fit's global parameter vector (shared response parameters map
/// to the same global index in every term).
/// </summary>
internal sealed class SpectrumTerm
{
    public SpectrumTerm(Histogram1D histogram, SpectrumModel model, int[] globalIndex)
    {
        if (globalIndex.Length != model.ParameterCount) throw new ArgumentException("one global index per model parameter");
        Model = model;
        GlobalIndex = globalIndex;
        Counts = new double[model.OutputLength];
        Counts[0] = histogram.Underflow;
        var counts = histogram.Counts;
        for (int i = 0; i < counts.Length; i++) Counts[i + 1] = counts[i];
        Counts[^1] = histogram.Overflow;
        Total = histogram.Entries;
        Probabilities = new double[model.OutputLength];
        Jacobian = new double[model.OutputLength * model.ParameterCount];
        LocalParameters = new double[model.ParameterCount];
    }

    public SpectrumModel Model { get; }
    public int[] GlobalIndex { get; }
    public double[] Counts { get; }
    public double Total { get; }
    public double[] Probabilities { get; }
    public double[] Jacobian { get; }
    public double[] LocalParameters { get; }

    public void Gather(ReadOnlySpan<double> global)
    {
        for (int k = 0; k < GlobalIndex.Length; k++) LocalParameters[k] = global[GlobalIndex[k]];
    }
}
