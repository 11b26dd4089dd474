using MathNet.Numerics.IntegralTransforms;

namespace BeamDAQ.Analysis.Characterization;

/// <summary>
/// Noise power spectral density by Welch's method: segments of <see cref="SegmentLength"/> samples overlapping by
/// half, each mean-subtracted and Hann-windowed, their periodograms averaged. One-sided, in V²/Hz, so white noise
/// of variance σ² reads σ²/(fs/2) at every frequency (scipy.signal.welch's <c>density</c> scaling).
/// Records of any length are added one after another; segments never span two records.
/// </summary>
public sealed class WelchPsd
{
    private readonly double[] _window;
    private readonly double _windowPower;   // Σ w²
    private readonly double[] _buffer;      // packed real FFT: N + 2 doubles
    private readonly double[] _sum;         // Σ |X_k|² over segments, k = 0 .. N/2

    public WelchPsd(int segmentLength, double sampleRate)
    {
        if (segmentLength < 8)
            throw new ArgumentOutOfRangeException(nameof(segmentLength), segmentLength, "a Welch segment needs at least 8 samples");
        if (!(sampleRate > 0) || !double.IsFinite(sampleRate))
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be a positive number of Hz");
        SegmentLength = segmentLength;
        SampleRate = sampleRate;
        _window = HannWindow(segmentLength);
        foreach (double w in _window) _windowPower += w * w;
        _buffer = new double[segmentLength + 2];
        _sum = new double[segmentLength / 2 + 1];
    }

    public int SegmentLength { get; }
    public double SampleRate { get; }
    public long Segments { get; private set; }

    /// <summary>Periodic Hann window (as scipy's <c>get_window('hann', N)</c>), the usual choice for spectral estimation.</summary>
    public static double[] HannWindow(int length)
    {
        var w = new double[length];
        for (int i = 0; i < length; i++)
            w[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / length);
        return w;
    }

    /// <summary>Adds every whole half-overlapping segment of a record given in volts.</summary>
    public void AddRecord(ReadOnlySpan<double> volts)
    {
        int step = SegmentLength / 2;
        for (int start = 0; start + SegmentLength <= volts.Length; start += step)
            AddSegment(volts.Slice(start, SegmentLength));
    }

    /// <summary>Adds every whole half-overlapping segment of a record of raw codes (volts = offset + lsb·code).</summary>
    public void AddRecord(ReadOnlySpan<short> codes, double lsb)
    {
        // The offset drops out with the per-segment mean, so only the scale matters.
        int step = SegmentLength / 2;
        for (int start = 0; start + SegmentLength <= codes.Length; start += step)
        {
            var segment = codes.Slice(start, SegmentLength);
            for (int i = 0; i < SegmentLength; i++) _buffer[i] = lsb * segment[i];
            Transform();
        }
    }

    private void AddSegment(ReadOnlySpan<double> segment)
    {
        segment.CopyTo(_buffer);
        Transform();
    }

    private void Transform()
    {
        int n = SegmentLength;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += _buffer[i];
        mean /= n;
        for (int i = 0; i < n; i++) _buffer[i] = (_buffer[i] - mean) * _window[i];
        _buffer[n] = 0;
        _buffer[n + 1] = 0;
        Fourier.ForwardReal(_buffer, n, FourierOptions.NoScaling);
        for (int k = 0; k < _sum.Length; k++)
        {
            double re = _buffer[2 * k], im = _buffer[2 * k + 1];
            _sum[k] += re * re + im * im;
        }
        Segments++;
    }

    /// <summary>Adds another estimator's segments (same segment length and rate), e.g. from a parallel worker.</summary>
    public void Merge(WelchPsd other)
    {
        if (other.SegmentLength != SegmentLength || other.SampleRate != SampleRate)
            throw new ArgumentException($"cannot merge a PSD of {other.SegmentLength} samples at {other.SampleRate} Hz into one of {SegmentLength} samples at {SampleRate} Hz", nameof(other));
        for (int k = 0; k < _sum.Length; k++) _sum[k] += other._sum[k];
        Segments += other.Segments;
    }

    /// <summary>The averaged one-sided density; empty when no segment was added.</summary>
    public PowerSpectralDensity Result()
    {
        int bins = _sum.Length;
        var frequencies = new double[bins];
        var density = new double[bins];
        if (Segments == 0) return new PowerSpectralDensity(frequencies, density, SampleRate, SegmentLength, 0);
        double scale = 1.0 / (SampleRate * _windowPower * Segments);
        for (int k = 0; k < bins; k++)
        {
            frequencies[k] = k * SampleRate / SegmentLength;
            bool unpaired = k == 0 || (SegmentLength % 2 == 0 && k == bins - 1);   // DC and Nyquist have no negative twin
            density[k] = _sum[k] * scale * (unpaired ? 1 : 2);
        }
        return new PowerSpectralDensity(frequencies, density, SampleRate, SegmentLength, Segments);
    }
}
