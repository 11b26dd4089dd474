using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Monitor;
using BeamDAQ.Analysis.Monitor.Live;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Monitor.Tests.Support;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Monitor.Tests.Live;

/// <summary>
/// The live state over many runs (a shift's worth, spectra kept across runs: the worst case) holds a bounded
/// amount whatever the number of runs: kept amplitudes, trend points, waveforms, noise history.
/// </summary>
public sealed class LiveStateBoundsTests
{
    private const int Runs = 200;
    private const int EventsPerRun = 60;
    private const int Cap = 1_000;

    private readonly ManualClock _clock = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SyntheticEvents _events = new(seed: 11);
    private ulong _trigger = 1;

    [Fact]
    public void WhenTwoHundredRunsAreKeptThenTheLiveStateHoldsAtMostTheCapOfAmplitudesAndFitsFromTheHistogram()
    {
        var settings = new MonitorSettings
        {
            Fit = ((MultiplicitySpectrumFitter)SpectrumFitters.Create(null)).Options,
            BinningEvents = 100,
            TrendBunches = 20,
            ClearAtRunStart = false,
            MaxKeptAmplitudes = Cap,
        };
        settings.Validate();
        var state = new LiveState(settings, _clock);
        var pipeline = new EventPipeline(FeatureSettings.Default, [new MonitorSink(state)]);

        for (uint run = 1; run <= Runs; run++)
        {
            pipeline.AcceptRunBegin(Wire(Topics.RunBegin, new RunBeginMessage
            {
                Run = run, TimeNs = 1_700_000_000_000_000_000L, Config = new Dictionary<string, object?>(), Applied = new Dictionary<string, object?>(),
                Software = "test", Meta = new Dictionary<string, object?> { ["operator"] = "test" },
            }.ToMap()));
            for (int i = 0; i < EventsPerRun; i++)
            {
                pipeline.AcceptEvent(_events.Next(run, _trigger, 1_700_000_000_000_000_000L + (long)_trigger * 200_000_000L, 1.0, 2));
                _trigger++;
                _clock.Advance(TimeSpan.FromMilliseconds(200));
            }
            // The fit thread's share: trend blocks become points (their fits are not what is measured here).
            while (state.TakeTrendBlock() is { } block)
                state.StoreTrendPoint(block, new TrendPoint(block.Index, block.FirstTrigger, block.LastTrigger, block.FirstTimeNs, block.LastTimeNs,
                    block.Amplitudes.Length, true, 1, 0.1, 1, 0.1));
        }

        var (entries, kept, notKept) = state.Read(s => (s.Spectrum(1)!.Entries, s.Spectrum(1)!.Kept, s.Spectrum(1)!.NotKept));
        Assert.True(entries > 10 * Cap, $"the spectrum saw {entries} amplitudes, expected well beyond the cap {Cap}");
        Assert.Equal(Cap, kept);
        Assert.Equal(entries - Cap, notKept);
        Assert.True(state.Read(s => s.Spectrum(2)!.Kept) <= Cap);

        // A fit beyond the cap copies the histogram, not the amplitudes: its size does not grow with the runs.
        var job = state.TakeFitJob(1, lastVersion: -1, final: false);
        Assert.NotNull(job);
        Assert.Null(job.Amplitudes);
        Assert.Equal(entries, job.Histogram!.Entries);

        Assert.True(state.Read(s => s.Trend.Points.Count) <= 5000, "trend points are capped");
        Assert.True(state.Read(s => s.Waveforms.Channels().Sum(c => c.Waveforms.Count)) <= 4 * 4, "waveforms are capped");
        Assert.True(state.Read(s => s.Noise.History(1).Count) <= 1201, "noise history is capped");
    }

    [Fact]
    public void WhenTheSettingsAreDefaultThenAChannelKeepsAtMostTwoMebibytesOfAmplitudes()
    {
        var settings = new MonitorSettings { Fit = ((MultiplicitySpectrumFitter)SpectrumFitters.Create(null)).Options };
        Assert.True(settings.MaxKeptAmplitudes * sizeof(double) <= 2 << 20, $"{settings.MaxKeptAmplitudes} amplitudes kept per channel");
        Assert.Throws<ArgumentOutOfRangeException>(() => (settings with { MaxKeptAmplitudes = 50 }).Validate());
    }

    private static Dictionary<string, object?> Wire(string topic, Dictionary<string, object?> map) =>
        MapMessage.Decode(MapMessage.EncodeToArray(topic, map, 1));
}
