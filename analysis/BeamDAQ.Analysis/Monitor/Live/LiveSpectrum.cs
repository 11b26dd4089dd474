using BeamDAQ.Analysis.Histograms;

namespace BeamDAQ.Analysis.Monitor.Live;

/// <summary>
/// The amplitude spectrum of one channel as it fills. Every amplitude is also kept (up to a bound), so the fit
/// bins them exactly as the offline analysis does (<see cref="Histogram1D.FromSpectrum"/> over all of them) and
/// the displayed histogram takes that binning after each fit. Before the first fit the binning is chosen from
/// the first <c>binningEvents</c> amplitudes. Guarded by the owner's lock.
/// </summary>
public sealed class LiveSpectrum(int channelId, int binningEvents, int maxKept)
{
    private List<double> _amplitudes = new(1024);

    public int ChannelId { get; } = channelId;

    /// <summary>The displayed histogram; null until <c>binningEvents</c> amplitudes arrived.</summary>
    public Histogram1D? Histogram { get; private set; }

    /// <summary>Amplitudes accepted since the last reset.</summary>
    public long Entries { get; private set; }

    /// <summary>Amplitudes not kept for refits because <c>maxKept</c> was reached (the histogram still has them).</summary>
    public long NotKept { get; private set; }

    /// <summary>Events whose channel had no amplitude (no baseline or empty signal window).</summary>
    public long WithoutAmplitude { get; private set; }

    public long OverRange { get; private set; }

    /// <summary>Changes with every fill, rebinning and reset: the display is due when it moved.</summary>
    public long Version { get; private set; }

    /// <summary>Changes with every fill and reset, not with a rebinning: a fit is due only when it moved.</summary>
    public long DataVersion { get; private set; }

    /// <summary>Counts resets, so a fit started before one is not stored after it.</summary>
    public long Generation { get; private set; }

    public int BinningEvents => binningEvents;

    /// <summary>Amplitudes held for exact refits: at most <c>maxKept</c>, the bound on this spectrum's memory.</summary>
    public int Kept => _amplitudes.Count;

    public bool AllKept => NotKept == 0;

    public void Add(double amplitude, bool hasAmplitude, bool overRange)
    {
        Version++;
        DataVersion++;
        if (overRange) OverRange++;
        if (!hasAmplitude || double.IsNaN(amplitude))
        {
            WithoutAmplitude++;
            return;
        }
        Entries++;
        if (_amplitudes.Count < maxKept) _amplitudes.Add(amplitude);
        else NotKept++;
        if (Histogram is { } histogram)
        {
            histogram.Fill(amplitude);
        }
        else if (_amplitudes.Count >= binningEvents)
        {
            Histogram = Histogram1D.FromSpectrum(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_amplitudes));
        }
    }

    /// <summary>A copy of the kept amplitudes (for the fit, outside the lock).</summary>
    public double[] CopyAmplitudes() => _amplitudes.ToArray();

    /// <summary>
    /// Takes the binning of <paramref name="fitted"/> for the display when it differs from the current one (a fit
    /// chose it from more data), refilling from the kept amplitudes. Does nothing when not all were kept.
    /// </summary>
    public void Rebin(Histogram1D fitted)
    {
        if (!AllKept) return;
        if (Histogram is { } h && h.HasSameBinning(fitted)) return;
        var histogram = new Histogram1D(fitted.LowEdge, fitted.HighEdge, fitted.BinCount);
        histogram.FillMany(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_amplitudes));
        Histogram = histogram;
        Version++;
    }

    public void Reset()
    {
        // A new list rather than Clear: a long run's buffer is returned to the GC instead of being kept at its peak.
        _amplitudes = new List<double>(1024);
        Histogram = null;
        Entries = NotKept = WithoutAmplitude = OverRange = 0;
        Version++;
        DataVersion++;
        Generation++;
    }
}
