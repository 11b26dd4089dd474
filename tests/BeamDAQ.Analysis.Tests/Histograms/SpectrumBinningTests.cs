using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Validation;

namespace BeamDAQ.Analysis.Tests.Histograms;

public class SpectrumBinningTests
{
    private static readonly ToySpectrumSettings Truth = ToySpectrumSettings.Leetech(1.6);

    [Fact]
    public void WhenChosenForAToySpectrumThenTheBinWidthIsASixteenthOfTheMeanSingleElectronAmplitude()
    {
        var values = ToyGenerator.Generate(Truth, 5000, new SplitMixRandom(1));
        var binning = SpectrumBinning.Choose(values);

        // Mean single-electron amplitude of the truth: 1.3657 × the most probable value (truncated Landau).
        double expected = 1.3657 * Truth.MostProbable / 16;
        Assert.InRange(binning.BinWidth, 0.85 * expected, 1.15 * expected);
    }

    [Fact]
    public void WhenChosenThenTheLowEdgeIsWellBelowThePedestalAndNothingFallsOutside()
    {
        var values = ToyGenerator.Generate(Truth, 5000, new SplitMixRandom(2));
        var h = Histogram1D.FromSpectrum(values);

        Assert.True(h.LowEdge <= Truth.Pedestal - 5 * Truth.Noise, $"low edge {h.LowEdge}");
        Assert.Equal(0, h.Underflow);
        Assert.Equal(0, h.Overflow);
        Assert.Equal(5000, h.Entries);
    }

    [Fact]
    public void WhenTheSingleElectronScaleIsGivenThenTheBinsFollowIt()
    {
        var values = ToyGenerator.Generate(Truth, 2000, new SplitMixRandom(3));
        var binning = SpectrumBinning.Choose(values, singleElectronScale: 24.0);
        Assert.Equal(1.5, binning.BinWidth, 12);
    }

    [Fact]
    public void WhenASpectrumWouldNeedTooManyBinsThenItIsCappedAndTheTopOverflows()
    {
        var values = ToyGenerator.Generate(Truth, 5000, new SplitMixRandom(4)).Append(1e6).ToArray();
        var h = Histogram1D.FromSpectrum(values, maxBins: 300);
        Assert.True(h.BinCount <= 300);
        Assert.True(h.Overflow >= 1);
    }
}
