using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Monitor;
using BeamDAQ.Analysis.Monitor.Live;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Monitor.Tests.Support;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Monitor.Tests.Live;

/// <summary>The live state fed through the shared analysis pipeline, without sockets: resets, freeze, run boundaries.</summary>
public sealed class LiveStateTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SyntheticEvents _events = new(seed: 3);
    private ulong _trigger = 1;

    private (LiveState State, EventPipeline Pipeline, MonitorSink Sink) Create(Func<MonitorSettings, MonitorSettings>? adjust = null)
    {
        var settings = new MonitorSettings
        {
            Fit = ((MultiplicitySpectrumFitter)SpectrumFitters.Create(null)).Options,
            BinningEvents = 100,
            TrendBunches = 50,
        };
        if (adjust is not null) settings = adjust(settings);
        var state = new LiveState(settings, _clock);
        var sink = new MonitorSink(state);
        return (state, new EventPipeline(FeatureSettings.Default, [sink]), sink);
    }

    private void Feed(EventPipeline pipeline, int count, double lambda = 1.0, int channels = 1, uint run = 5)
    {
        for (int i = 0; i < count; i++)
        {
            pipeline.AcceptEvent(_events.Next(run, _trigger, 1_700_000_000_000_000_000L + (long)_trigger * 200_000_000L, lambda, channels));
            _trigger++;
            _clock.Advance(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>A map as it comes off the wire: encoded and decoded again (integers arrive as long).</summary>
    private static Dictionary<string, object?> Wire(string topic, Dictionary<string, object?> map) =>
        MapMessage.Decode(MapMessage.EncodeToArray(topic, map, 1));

    private static void BeginRun(EventPipeline pipeline, uint run) =>
        pipeline.AcceptRunBegin(Wire(Topics.RunBegin, new RunBeginMessage
        {
            Run = run, TimeNs = 1_700_000_000_000_000_000L, Config = new Dictionary<string, object?>(), Applied = new Dictionary<string, object?>(),
            Software = "test", Meta = new Dictionary<string, object?> { ["operator"] = "test" },
        }.ToMap()));

    [Fact]
    public void WhenFewerAmplitudesThanTheBinningNeedsArrivedThenTheSpectrumIsStillCollectingAndThenBinsThemAll()
    {
        var (state, pipeline, _) = Create();
        Feed(pipeline, 99);
        Assert.Null(state.Read(s => s.Spectrum(1)!.Histogram));
        Assert.Equal(99, state.Read(s => s.Spectrum(1)!.Entries));

        Feed(pipeline, 1);
        var histogram = state.Read(s => s.Spectrum(1)!.Histogram);
        Assert.NotNull(histogram);
        Assert.Equal(100, histogram!.Entries);
        Assert.Equal(0, histogram.Overflow + histogram.Underflow);
    }

    [Fact]
    public void WhenOneChannelIsResetThenOnlyThatChannelsSpectrumIsEmptied()
    {
        var (state, pipeline, _) = Create();
        Feed(pipeline, 150, channels: 2);

        state.Reset(2);

        Assert.Equal(150, state.Read(s => s.Spectrum(1)!.Entries));
        Assert.NotNull(state.Read(s => s.Spectrum(1)!.Histogram));
        Assert.Equal(0, state.Read(s => s.Spectrum(2)!.Entries));
        Assert.Null(state.Read(s => s.Spectrum(2)!.Histogram));
        Feed(pipeline, 10, channels: 2);
        Assert.Equal(10, state.Read(s => s.Spectrum(2)!.Entries));
    }

    [Fact]
    public void WhenEverythingIsResetThenSpectraTrendWaveformsAndNoiseAreEmptyButCountersSinceStartRemain()
    {
        var (state, pipeline, _) = Create();
        Feed(pipeline, 120);
        Assert.Equal(2, state.Read(s => s.Trend.PendingBlocks));
        Assert.NotEmpty(state.Read(s => s.Waveforms.Channels().ToList()));
        Assert.NotEmpty(state.Read(s => s.Noise.History(1)));

        state.Reset(null);

        Assert.Equal(0, state.Read(s => s.Spectrum(1)!.Entries));
        Assert.Equal(0, state.Read(s => s.Trend.PendingBlocks));
        Assert.Equal(0, state.Read(s => s.Trend.CollectedInBlock));
        Assert.Empty(state.Read(s => s.Waveforms.Channels().ToList()));
        Assert.Empty(state.Read(s => s.Noise.History(1)));
        Assert.Empty(state.Read(s => s.Noise.Spectra()));
        Assert.Equal(120, state.Read(s => s.TotalEvents));
    }

    [Fact]
    public void WhenFrozenThenEventsAreCountedButNothingIsFilledUntilResumed()
    {
        var (state, pipeline, _) = Create();
        Feed(pipeline, 120);
        long spectrumVersion = state.Version(MonitorSections.Spectra);
        var newestWaveform = state.Read(s => s.Waveforms.Channels().Single().Waveforms.Last().Event.Trigger);

        state.SetFrozen(true);
        Feed(pipeline, 30);

        Assert.Equal(120, state.Read(s => s.Spectrum(1)!.Entries));
        Assert.Equal(30, state.Read(s => s.FrozenEvents));
        Assert.Equal(150, state.Read(s => s.RunEvents));
        Assert.Equal(spectrumVersion, state.Version(MonitorSections.Spectra));
        Assert.Equal(newestWaveform, state.Read(s => s.Waveforms.Channels().Single().Waveforms.Last().Event.Trigger));

        state.SetFrozen(false);
        Feed(pipeline, 5);
        Assert.Equal(125, state.Read(s => s.Spectrum(1)!.Entries));
    }

    [Fact]
    public void WhenARunBeginsThenTheSpectraAreClearedOnlyIfClearAtRunStartIsOn()
    {
        var (state, pipeline, _) = Create();
        BeginRun(pipeline, 5);
        Feed(pipeline, 120);
        BeginRun(pipeline, 6);
        Assert.Equal(0, state.Read(s => s.Spectrum(1)!.Entries));
        Assert.Equal(0, state.Read(s => s.RunEvents));
        Assert.Equal(6UL, state.Read(s => s.Run!.Run));

        state.SetClearAtRunStart(false);
        Feed(pipeline, 40, run: 6);
        BeginRun(pipeline, 7);
        Assert.Equal(40, state.Read(s => s.Spectrum(1)!.Entries));
        Assert.Equal(0, state.Read(s => s.RunEvents));
    }

    [Fact]
    public void WhenAFitStartedBeforeAResetFinishesThenItIsDiscarded()
    {
        var (state, pipeline, _) = Create(s => s with { MinimumFitEvents = 200 });
        Feed(pipeline, 300);
        var job = state.TakeFitJob(1, lastVersion: -1, final: false);
        Assert.NotNull(job);
        Assert.Equal(300, job!.Amplitudes!.Length);
        var histogram = job.BuildHistogram();
        var result = FitResults.Converged(lambda: 1.0);

        state.Reset(1);

        Assert.False(state.StoreFit(job, result, histogram, published: false));
        Assert.Null(state.Read(s => s.Fit(1)));
    }

    [Fact]
    public void WhenTheSpectrumDidNotChangeSinceTheLastFitThenNoNewFitIsDueUnlessItIsTheFinalOne()
    {
        var (state, pipeline, _) = Create(s => s with { MinimumFitEvents = 50 });
        Feed(pipeline, 60);
        var job = state.TakeFitJob(1, -1, final: false)!;
        Assert.Null(state.TakeFitJob(1, job.Version, final: false));
        Assert.NotNull(state.TakeFitJob(1, job.Version, final: true));
        Feed(pipeline, 1);
        Assert.NotNull(state.TakeFitJob(1, job.Version, final: false));
    }

    [Fact]
    public void WhenTheFinalFitRebinsTheShownSpectrumThenThatAloneIsNoNewWorkAndTheFinalFitStays()
    {
        var (state, pipeline, _) = Create(s => s with { MinimumFitEvents = 50 });
        Feed(pipeline, 150);   // beyond BinningEvents: the spectrum has its first binning
        var job = state.TakeFitJob(1, -1, final: true)!;
        var shown = state.Read(s => s.Spectrum(1)!.Histogram!);
        var other = new BeamDAQ.Analysis.Histograms.Histogram1D(shown.LowEdge, shown.HighEdge + shown.BinWidth * 7, shown.BinCount + 3);
        long before = state.Read(s => s.Spectrum(1)!.Version);

        Assert.True(state.StoreFit(job, FitResults.Converged(1.0), other, published: true));

        Assert.NotEqual(before, state.Read(s => s.Spectrum(1)!.Version));   // the display took the fit's binning
        Assert.Null(state.TakeFitJob(1, job.Version, final: false));           // so no refit replaces the final one
        Assert.True(state.Read(s => s.Fit(1)!.Final));
        Feed(pipeline, 1);
        Assert.NotNull(state.TakeFitJob(1, job.Version, final: false));
    }

    [Fact]
    public void WhenBlocksOfTheTrendSizeCompleteThenTheyWaitForTheFitThreadInOrder()
    {
        var (state, pipeline, _) = Create();
        Feed(pipeline, 120);
        var first = state.TakeTrendBlock();
        var second = state.TakeTrendBlock();
        Assert.Null(state.TakeTrendBlock());
        Assert.Equal(50, first!.Amplitudes.Length);
        Assert.Equal(1UL, first.FirstTrigger);
        Assert.Equal(50UL, first.LastTrigger);
        Assert.Equal(51UL, second!.FirstTrigger);
        Assert.Equal(20, state.Read(s => s.Trend.CollectedInBlock));
    }

    [Fact]
    public void WhenStatusSlowControlAndAlarmsArriveThenTheyAreShownAndABadMessageIsCountedNotShown()
    {
        var (state, pipeline, sink) = Create();
        pipeline.AcceptMessage(Topics.SlowControl, Wire(Topics.SlowControl, new SlowControlMessage { TimeNs = 1, Device = "magnet", Quantity = "current", Value = 12.5, Unit = "A" }.ToMap()));
        pipeline.AcceptMessage(Topics.Alarm, Wire(Topics.Alarm, new AlarmMessage { TimeNs = 2, Source = "hv", Severity = AlarmSeverity.Error, Code = "hv-trip", Message = "HV tripped" }.ToMap()));
        pipeline.AcceptMessage(Topics.DaqStatus, Wire(Topics.DaqStatus, new DaqStatusMessage
        {
            State = "Running", Run = 9, TriggerRateHz = 5, Events = 10, Missed = 1, DeadTimeFraction = 0.02, BytesWritten = 1, DeviceState = "ok", Dropped = 0,
        }.ToMap()));
        pipeline.AcceptMessage(Topics.Alarm, new Dictionary<string, object?> { ["t_ns"] = 3L, ["source"] = "x" });

        Assert.Equal(12.5, state.Read(s => s.SlowControl.Entries.Single().Value));
        Assert.Equal("hv-trip", state.Read(s => s.Alarms.Alarms.Single().Alarm.Code));
        Assert.Equal(0.02, state.Read(s => s.DaqStatus!.Status.DeadTimeFraction));
        Assert.Equal(1, sink.BadMessages);
        Assert.Contains("severity", sink.LastBadMessage);
    }
}
