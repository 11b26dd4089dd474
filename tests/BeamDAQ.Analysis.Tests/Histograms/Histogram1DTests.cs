using BeamDAQ.Analysis.Histograms;

namespace BeamDAQ.Analysis.Tests.Histograms;

public class Histogram1DTests
{
    [Fact]
    public void WhenValuesAreFilledThenEachLandsInItsBinAndOutOfRangeOnesInUnderOrOverflow()
    {
        var h = new Histogram1D(0, 10, 10);
        foreach (double x in new[] { -0.5, 0, 0.99, 1, 5.5, 9.999, 10, 12, double.PositiveInfinity, double.NegativeInfinity })
            h.Fill(x);

        Assert.Equal(new long[] { 2, 1, 0, 0, 0, 1, 0, 0, 0, 1 }, h.Counts.ToArray());
        Assert.Equal(2, h.Underflow);
        Assert.Equal(3, h.Overflow);
        Assert.Equal(10, h.Entries);
        Assert.Equal(8, h.FiniteEntries);
    }

    [Fact]
    public void WhenNaNIsFilledThenItIsCountedAsRejectedAndInNoBin()
    {
        var h = new Histogram1D(0, 1, 4);
        h.Fill(double.NaN);
        h.FillMany([0.1, double.NaN, 0.6]);

        Assert.Equal(2, h.Rejected);
        Assert.Equal(2, h.Entries);
        Assert.Equal(2, h.Counts.ToArray().Sum());
    }

    [Fact]
    public void WhenAValueIsJustBelowTheHighEdgeThenItIsInTheLastBinNotTheOverflow()
    {
        var h = new Histogram1D(0.1, 0.7, 3);
        h.Fill(Math.BitDecrement(0.7));
        Assert.Equal(1, h.Counts[2]);
        Assert.Equal(0, h.Overflow);
    }

    [Fact]
    public void WhenFilledWithFillManyThenTheResultEqualsFillingOneByOne()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() * 14 - 2).ToArray();
        var one = new Histogram1D(0, 10, 25);
        foreach (double v in values) one.Fill(v);
        var many = new Histogram1D(0, 10, 25);
        many.FillMany(values);

        Assert.Equal(one.ToJson(), many.ToJson());
    }

    [Fact]
    public void WhenMergedThenCountsAndExactMomentsAdd()
    {
        var a = new Histogram1D(0, 4, 4);
        var b = new Histogram1D(0, 4, 4);
        a.FillMany([0.5, 1.5, 9]);
        b.FillMany([1.5, -1, 2.5, 3.5]);
        a.Merge(b);

        Assert.Equal(new long[] { 1, 2, 1, 1 }, a.Counts.ToArray());
        Assert.Equal(1, a.Underflow);
        Assert.Equal(1, a.Overflow);
        Assert.Equal(7, a.Entries);
        Assert.Equal((0.5 + 1.5 + 9 + 1.5 - 1 + 2.5 + 3.5) / 7, a.Mean, 12);
    }

    [Fact]
    public void WhenBinningsDifferThenMergeRefuses()
    {
        var a = new Histogram1D(0, 4, 4);
        var b = new Histogram1D(0, 4, 8);
        var e = Assert.Throws<ArgumentException>(() => a.Merge(b));
        Assert.Contains("different binning", e.Message);
    }

    [Fact]
    public void WhenResetThenEverythingIsEmptyAndTheBinningKept()
    {
        var h = new Histogram1D(0, 4, 4);
        h.FillMany([0.5, 7, double.NaN, -3]);
        h.Reset();

        Assert.Equal(0, h.Entries);
        Assert.Equal(0, h.Rejected);
        Assert.Equal(0, h.Underflow + h.Overflow);
        Assert.All(h.Counts.ToArray(), c => Assert.Equal(0, c));
        Assert.True(double.IsNaN(h.Mean));
        Assert.Equal(4, h.BinCount);
    }

    [Fact]
    public void WhenSerialisedToJsonAndReadBackThenEverythingIsKept()
    {
        var h = Histogram1D.WithBinWidth(-1.5, 0.25, 40);
        h.FillMany([0.1, 0.2, 3.3, 99, -7, double.NaN]);
        string json = h.ToJson();
        var back = Histogram1D.FromJson(json);

        Assert.Contains("\"bin_count\":40", json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(h.Mean, back.Mean);
        Assert.Equal(h.Variance, back.Variance);
    }

    [Fact]
    public void WhenADtoIsInconsistentThenReadingItSaysWhatIsWrong()
    {
        var dto = new Histogram1D(0, 1, 2).ToDto();
        dto.Counts = [1, 2, 3];
        var e = Assert.Throws<FormatException>(() => Histogram1D.FromDto(dto));
        Assert.Contains("counts has 3 entries", e.Message);

        dto.Counts = [1, 2];
        dto.Entries = 99;
        e = Assert.Throws<FormatException>(() => Histogram1D.FromDto(dto));
        Assert.Contains("entries = 99", e.Message);
    }
}
