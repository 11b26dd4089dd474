using BeamDAQ.Analysis.Fitting;
using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Monitor.Fits;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Analysis.Spectrum;
using BeamDAQ.Analysis.Spectrum.Responses;
using BeamDAQ.Analysis.Validation;
using BeamDAQ.Monitor.Tests.Support;

namespace BeamDAQ.Monitor.Tests.Live;

/// <summary>Which runs' responses the live monitor keeps as calibrations, and what a fixed response does to high-λ fits.</summary>
public sealed class ResponseCalibrationBookTests
{
    private const string Key = "ch1 range=0.8 coupling=dc detector=diamond hv=500 energy=2.70";
    private static readonly FitOptions Options = new() { Response = new TruncatedLandauResponse(new LandauVavilov()), AmplitudeUnit = "mV", ProfileInterval = false };

    private static FitResult Fit(double lambda, int bunches, int seed, FitOptions? options = null) =>
        SpectrumFitter.Fit(Histogram1D.FromSpectrum(ToyGenerator.Generate(ToySpectrumSettings.Leetech(lambda), bunches, new SplitMixRandom((ulong)seed))), options ?? Options);

    [Fact]
    public void WhenALowLambdaRunEndsThenItsResponseIsKeptAndOnlyAMorePreciseRunReplacesIt()
    {
        var book = new ResponseCalibrationBook();
        var short_ = Fit(1.5, 400, 1);
        var long_ = Fit(1.5, 4000, 2);
        Assert.True(short_.Converged && long_.Converged);

        Assert.True(book.Offer(1, 10, Key, short_));
        Assert.Equal(10UL, book.For(1, Key)!.Run);
        Assert.True(book.Offer(1, 11, Key, long_));
        Assert.Equal(11UL, book.For(1, Key)!.Run);
        // A later, shorter run measures the response worse: the longer run stays the calibration.
        Assert.False(book.Offer(1, 12, Key, short_));
        Assert.Equal(11UL, book.For(1, Key)!.Run);
        Assert.Equal(long_.Gain.Value, book.For(1, Key)!.Calibration.Value(long_.Gain.Name));
        // Another channel or other settings have no calibration.
        Assert.Null(book.For(2, Key));
        Assert.Null(book.For(1, Key.Replace("hv=500", "hv=450")));
    }

    [Fact]
    public void WhenAFitIsOutsideTheCalibrationRangeOrItsResponseWasFixedThenItIsNotKept()
    {
        var book = new ResponseCalibrationBook(fixAboveLambda: 5, minimumLambda: 0.3, maximumLambda: 4);
        Assert.False(book.Offer(1, 1, Key, Fit(0.1, 2000, 3)));   // too few bunches see an electron
        Assert.False(book.Offer(1, 2, Key, Fit(6.0, 2000, 4)));   // the response is degenerate with λ there
        Assert.False(book.Offer(1, 3, Key, FitResults.Converged(1.0) with { Status = FitStatus.NotConverged }));

        var calibration = Fit(1.5, 2000, 5);
        Assert.True(book.Offer(1, 4, Key, calibration));
        var fixedFit = Fit(2.0, 2000, 6, Options with { Calibration = book.For(1, Key)!.Calibration });
        Assert.True(fixedFit.Converged);
        // A fit that took its response from a calibration measured none: it cannot become one.
        Assert.False(book.Offer(1, 5, Key + " other", fixedFit));
        Assert.Null(book.For(1, Key + " other"));
    }

    [Fact]
    public void WhenMoreSettingsThanTheCapacityAreSeenThenTheOldestAreForgotten()
    {
        var book = new ResponseCalibrationBook();
        var fit = Fit(1.5, 1000, 7);
        for (int i = 0; i < ResponseCalibrationBook.Capacity + 5; i++)
            Assert.True(book.Offer(1, (ulong)i, $"hv={i}", fit));
        Assert.Equal(ResponseCalibrationBook.Capacity, book.All().Count);
        Assert.Null(book.For(1, "hv=0"));
        Assert.NotNull(book.For(1, $"hv={ResponseCalibrationBook.Capacity + 4}"));
    }

    [Fact]
    public void WhenEitherFitPutsLambdaHighOrTheFreeFitFailedThenTheFixedResponseIsShownAndAtLowLambdaTheFreeOne()
    {
        var book = new ResponseCalibrationBook(fixAboveLambda: 5);
        var calibration = Fit(1.5, 2000, 8);
        Assert.True(book.Offer(1, 1, Key, calibration));
        var fixedOptions = Options with { Calibration = book.For(1, Key)!.Calibration };

        Assert.False(book.PrefersFixedResponse(Fit(2.0, 2000, 9), Fit(2.0, 2000, 9, fixedOptions)));
        Assert.True(book.PrefersFixedResponse(Fit(8.7, 2000, 10), Fit(8.7, 2000, 10, fixedOptions)));
        var lowFixed = Fit(2.0, 2000, 11, fixedOptions);
        Assert.True(book.PrefersFixedResponse(FitResults.Converged(1.0) with { Status = FitStatus.NotConverged }, lowFixed));
        // A fixed-response fit that did not converge is never shown instead.
        Assert.False(book.PrefersFixedResponse(Fit(8.7, 2000, 10), lowFixed with { Status = FitStatus.NotConverged }));
        // A free fit on a multiple of the gain reports a small λ; the fixed fit's high λ decides.
        Assert.True(book.PrefersFixedResponse(FitResults.Converged(2.5), FitResults.Converged(8.6)));
    }

    /// <summary>
    /// The shift's case, as toys: a calibration run at λ = 0.7 and a run at λ = 8.7, 1,500 bunches each. With the
    /// response fixed from the calibration the high-λ pulls are centred with unit width and the ±1σ interval covers
    /// about 68 %; the free-response fit of the same spectra is recorded beside it (it is what the fix is for).
    /// </summary>
    [Fact]
    public void WhenHighLambdaRunsAreRefittedWithTheBooksCalibrationThenTheirPullsAreUnbiasedWithUnitWidth()
    {
        const int toys = 40;
        const double lambda = 8.7;
        var fixedPulls = new List<double>();
        var freePulls = new List<double>();
        for (int toy = 0; toy < toys; toy++)
        {
            var book = new ResponseCalibrationBook();
            var calibration = Fit(0.7, 1500, 1000 + toy);
            Assert.True(book.Offer(1, 1, Key, calibration), $"toy {toy}: the calibration fit (converged: {calibration.Converged}, λ {calibration.Lambda:F3}) was not kept");
            var free = Fit(lambda, 1500, 2000 + toy);
            if (free.Converged) freePulls.Add((free.Lambda - lambda) / free.LambdaError);
            var fixedFit = Fit(lambda, 1500, 2000 + toy, Options with { Calibration = book.For(1, Key)!.Calibration });
            Assert.True(fixedFit.Converged, $"toy {toy}: {fixedFit.StatusReason}");
            Assert.True(book.PrefersFixedResponse(free, fixedFit), $"toy {toy}: free λ {free.Lambda:F3}, fixed λ {fixedFit.Lambda:F3}: the free fit was shown");
            Assert.True(fixedFit.LambdaErrorCalibration > 0, "the calibration's uncertainty is propagated");
            fixedPulls.Add((fixedFit.Lambda - lambda) / fixedFit.LambdaError);
        }
        double mean = fixedPulls.Average();
        double width = Math.Sqrt(fixedPulls.Sum(p => (p - mean) * (p - mean)) / (toys - 1));
        double covered = fixedPulls.Count(p => Math.Abs(p) <= 1) / (double)toys;
        string summary = $"fixed: pull mean {mean:F2}, width {width:F2}, coverage {covered:P0}; free: pull mean {freePulls.DefaultIfEmpty(double.NaN).Average():F2} ({freePulls.Count} converged)";
        Console.WriteLine("λ = 8.7 toys, 1,500 bunches, calibration at λ = 0.7: " + summary);
        // 40 toys: the mean's own spread is 0.16, the width's 0.11, the coverage's 7 %.
        Assert.True(Math.Abs(mean) < 0.5, summary);
        Assert.InRange(width, 0.7, 1.35);
        Assert.InRange(covered, 0.45, 0.9);
    }

    [Fact]
    public void WhenTwoRunsHaveTheSameChannelRangeDetectorHvAndEnergyThenTheyShareAKeyAndAnyDifferenceSeparatesThem()
    {
        static RunInfo Run(double range, double hv, double energy) => new(new Dictionary<string, object?>
        {
            ["run"] = 1UL,
            ["applied"] = new Dictionary<string, object?>
            {
                ["channels"] = new List<object?> { new Dictionary<string, object?> { ["id"] = 1UL, ["range_v"] = range, ["coupling"] = "dc" } },
            },
            ["meta"] = new Dictionary<string, object?> { ["detector"] = "diamond", ["hv_set_v"] = hv, ["beam_energy_mev"] = energy },
        });

        string key = CalibrationKey.Of(Run(0.8, 500, 2.7), 1);
        Assert.Equal(key, CalibrationKey.Of(Run(0.8, 500, 2.6999986), 1));
        Assert.Contains("range=0.8", key);
        Assert.NotEqual(key, CalibrationKey.Of(Run(2.0, 500, 2.7), 1));
        Assert.NotEqual(key, CalibrationKey.Of(Run(0.8, 400, 2.7), 1));
        Assert.NotEqual(key, CalibrationKey.Of(Run(0.8, 500, 2.5), 1));
        Assert.NotEqual(key, CalibrationKey.Of(Run(0.8, 500, 2.7), 2));
        Assert.Equal(CalibrationKey.Unknown, CalibrationKey.Of(null, 1));
    }
}
