using System.Text.Json;

namespace BeamDAQ.Analysis.Histograms;

/// <summary>
/// A fixed-binning 1-D histogram of amplitudes with underflow, overflow and a count of rejected non-finite
/// values (never a silent drop). It also keeps the exact sum and sum of squares of every finite value, because
/// the multiplicity fit's mean-method cross-check and seeds need the unbinned mean and variance.
/// Not thread-safe: one writer; merge per-thread histograms with <see cref="Merge"/>.
/// </summary>
public sealed class Histogram1D
{
    private readonly long[] _counts;
    private readonly double _inverseWidth;

    /// <summary>Uniform bins: <paramref name="binCount"/> bins covering [<paramref name="lowEdge"/>, <paramref name="highEdge"/>).</summary>
    public Histogram1D(double lowEdge, double highEdge, int binCount)
    {
        if (!double.IsFinite(lowEdge) || !double.IsFinite(highEdge) || highEdge <= lowEdge)
            throw new ArgumentException($"histogram edges must be finite with low < high, got [{lowEdge}, {highEdge})");
        if (binCount < 1 || binCount > 10_000_000)
            throw new ArgumentOutOfRangeException(nameof(binCount), binCount, "bin count must be 1 .. 10,000,000");
        LowEdge = lowEdge;
        HighEdge = highEdge;
        BinCount = binCount;
        BinWidth = (highEdge - lowEdge) / binCount;
        _inverseWidth = binCount / (highEdge - lowEdge);
        _counts = new long[binCount];
    }

    /// <summary>Uniform bins of <paramref name="binWidth"/> starting at <paramref name="lowEdge"/>.</summary>
    public static Histogram1D WithBinWidth(double lowEdge, double binWidth, int binCount)
    {
        if (!(binWidth > 0) || !double.IsFinite(binWidth))
            throw new ArgumentOutOfRangeException(nameof(binWidth), binWidth, "bin width must be positive and finite");
        return new Histogram1D(lowEdge, lowEdge + binWidth * binCount, binCount);
    }

    /// <summary>A histogram whose binning follows <see cref="SpectrumBinning.Choose"/> for these values, filled with them.</summary>
    public static Histogram1D FromSpectrum(ReadOnlySpan<double> values, double? singleElectronScale = null, int maxBins = SpectrumBinning.DefaultMaxBins)
    {
        var binning = SpectrumBinning.Choose(values, singleElectronScale, maxBins);
        var histogram = binning.CreateHistogram();
        histogram.FillMany(values);
        return histogram;
    }

    public double LowEdge { get; }
    public double HighEdge { get; }
    public double BinWidth { get; }
    public int BinCount { get; }

    /// <summary>Counts of the in-range bins.</summary>
    public ReadOnlySpan<long> Counts => _counts;

    /// <summary>Values below <see cref="LowEdge"/>.</summary>
    public long Underflow { get; private set; }

    /// <summary>Values at or above <see cref="HighEdge"/> (including +∞).</summary>
    public long Overflow { get; private set; }

    /// <summary>NaN values offered to Fill; rejected, counted, not in any bin.</summary>
    public long Rejected { get; private set; }

    /// <summary>Every accepted value: in-range bins plus underflow plus overflow.</summary>
    public long Entries { get; private set; }

    /// <summary>Sum of the finite accepted values (±∞ go to under/overflow but not into the moments).</summary>
    public double Sum { get; private set; }

    /// <summary>Sum of squares of the finite accepted values.</summary>
    public double SumOfSquares { get; private set; }

    /// <summary>Number of finite accepted values (the denominator of <see cref="Mean"/>).</summary>
    public long FiniteEntries { get; private set; }

    /// <summary>Exact (unbinned) mean of the finite values; NaN when empty.</summary>
    public double Mean => FiniteEntries == 0 ? double.NaN : Sum / FiniteEntries;

    /// <summary>Exact (unbinned) sample variance (n−1) of the finite values; NaN with fewer than two.</summary>
    public double Variance
    {
        get
        {
            if (FiniteEntries < 2) return double.NaN;
            double mean = Sum / FiniteEntries;
            return Math.Max(0, (SumOfSquares - FiniteEntries * mean * mean) / (FiniteEntries - 1));
        }
    }

    public double BinLowEdge(int bin) => LowEdge + bin * BinWidth;
    public double BinCenter(int bin) => LowEdge + (bin + 0.5) * BinWidth;

    /// <summary>Index of the bin holding <paramref name="x"/>: −1 for underflow, <see cref="BinCount"/> for overflow.</summary>
    public int FindBin(double x)
    {
        if (x < LowEdge) return -1;
        if (x >= HighEdge) return BinCount;
        int bin = (int)((x - LowEdge) * _inverseWidth);
        return Math.Min(bin, BinCount - 1); // x just below HighEdge can round up to BinCount
    }

    public void Fill(double x)
    {
        if (double.IsNaN(x))
        {
            Rejected++;
            return;
        }
        Entries++;
        if (double.IsFinite(x))
        {
            FiniteEntries++;
            Sum += x;
            SumOfSquares += x * x;
        }
        if (x < LowEdge) Underflow++;
        else if (x >= HighEdge) Overflow++;
        else
        {
            int bin = (int)((x - LowEdge) * _inverseWidth);
            _counts[bin < BinCount ? bin : BinCount - 1]++;
        }
    }

    public void FillMany(ReadOnlySpan<double> values)
    {
        // Moments accumulated in locals: the per-value path stays free of property writes.
        long counted = 0, finite = 0, under = 0, over = 0, rejected = 0;
        double sum = 0, sumSq = 0;
        double low = LowEdge, high = HighEdge, inv = _inverseWidth;
        int last = BinCount - 1;
        var counts = _counts;
        foreach (double x in values)
        {
            if (double.IsNaN(x)) { rejected++; continue; }
            counted++;
            if (double.IsFinite(x)) { finite++; sum += x; sumSq += x * x; }
            if (x < low) under++;
            else if (x >= high) over++;
            else
            {
                int bin = (int)((x - low) * inv);
                counts[bin < last ? bin : last]++;
            }
        }
        Entries += counted;
        FiniteEntries += finite;
        Underflow += under;
        Overflow += over;
        Rejected += rejected;
        Sum += sum;
        SumOfSquares += sumSq;
    }

    public void FillMany(ReadOnlySpan<float> values)
    {
        foreach (float x in values) Fill(x);
    }

    /// <summary>Adds <paramref name="other"/>'s contents; the binnings must be identical.</summary>
    public void Merge(Histogram1D other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!HasSameBinning(other))
            throw new ArgumentException(
                $"cannot merge histograms with different binning: [{LowEdge}, {HighEdge}) x {BinCount} vs [{other.LowEdge}, {other.HighEdge}) x {other.BinCount}");
        for (int i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Underflow += other.Underflow;
        Overflow += other.Overflow;
        Rejected += other.Rejected;
        Entries += other.Entries;
        FiniteEntries += other.FiniteEntries;
        Sum += other.Sum;
        SumOfSquares += other.SumOfSquares;
    }

    public bool HasSameBinning(Histogram1D other) =>
        other.BinCount == BinCount && other.LowEdge == LowEdge && other.HighEdge == HighEdge;

    public void Reset()
    {
        Array.Clear(_counts);
        Underflow = Overflow = Rejected = Entries = FiniteEntries = 0;
        Sum = SumOfSquares = 0;
    }

    public Histogram1D Clone()
    {
        var copy = new Histogram1D(LowEdge, HighEdge, BinCount);
        copy.Merge(this);
        return copy;
    }

    public Histogram1DDto ToDto() => new()
    {
        LowEdge = LowEdge,
        HighEdge = HighEdge,
        BinCount = BinCount,
        Counts = (long[])_counts.Clone(),
        Underflow = Underflow,
        Overflow = Overflow,
        Rejected = Rejected,
        Entries = Entries,
        FiniteEntries = FiniteEntries,
        Sum = Sum,
        SumOfSquares = SumOfSquares,
    };

    /// <summary>Rebuilds a histogram from its DTO, checking that the counts are consistent.</summary>
    public static Histogram1D FromDto(Histogram1DDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        if (dto.Counts is null || dto.Counts.Length != dto.BinCount)
            throw new FormatException($"histogram DTO: counts has {dto.Counts?.Length ?? 0} entries, bin_count is {dto.BinCount}");
        var h = new Histogram1D(dto.LowEdge, dto.HighEdge, dto.BinCount);
        long inRange = 0;
        for (int i = 0; i < dto.BinCount; i++)
        {
            if (dto.Counts[i] < 0) throw new FormatException($"histogram DTO: counts[{i}] = {dto.Counts[i]} is negative");
            h._counts[i] = dto.Counts[i];
            inRange += dto.Counts[i];
        }
        if (dto.Underflow < 0 || dto.Overflow < 0 || dto.Rejected < 0)
            throw new FormatException("histogram DTO: underflow, overflow and rejected must be >= 0");
        long entries = inRange + dto.Underflow + dto.Overflow;
        if (dto.Entries != 0 && dto.Entries != entries)
            throw new FormatException($"histogram DTO: entries = {dto.Entries} but bins + underflow + overflow = {entries}");
        h.Underflow = dto.Underflow;
        h.Overflow = dto.Overflow;
        h.Rejected = dto.Rejected;
        h.Entries = entries;
        h.FiniteEntries = dto.FiniteEntries;
        h.Sum = dto.Sum;
        h.SumOfSquares = dto.SumOfSquares;
        return h;
    }

    public string ToJson() => JsonSerializer.Serialize(ToDto(), HistogramJson.Options);

    public static Histogram1D FromJson(string json) =>
        FromDto(JsonSerializer.Deserialize<Histogram1DDto>(json, HistogramJson.Options)
                ?? throw new FormatException("histogram JSON is null"));
}
