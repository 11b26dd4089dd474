using BeamDAQ.Analysis.Offline;
using BeamDAQ.Monitor.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Monitor.Tests.Live;

/// <summary>The fit thread: fits as events arrive, the final fit at run end, published on the fit topic, equal to offline.</summary>
public sealed class FitPublishingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beamdaq-monitor-fit-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task WhenARunEndsThenTheFinalFitIsPublishedMarkedFinalAndEqualsTheOfflineFitOfTheSameRun()
    {
        const uint run = 31;
        const int count = 600;
        await using var monitor = await TestMonitor.StartAsync(s => s with { FitInterval = TimeSpan.FromMilliseconds(200) });
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var fits = new EventSubscriber(context, monitor.Host.PublishEndpoint!, Topics.Fit);

        // The same bunches go live to the monitor and into a run file for the offline analysis.
        string path = Path.Combine(_directory, "run31.bdq");
        var generator = new SyntheticEvents(seed: 21);
        using (var writer = RunFileWriter.Create(path))
        {
            var begin = new RunBeginMessage
            {
                Run = run, TimeNs = TestPublisher.Now, Config = new Dictionary<string, object?>(), Applied = new Dictionary<string, object?>(),
                Software = "test", Meta = new Dictionary<string, object?>(),
            };
            writer.Append(Topics.RunBegin, MapMessage.EncodeToArray(Topics.RunBegin, begin.ToMap(), 1));
            monitor.Publisher.RunBegin(run);
            for (int i = 1; i <= count; i++)
            {
                var e = generator.Next(run, (ulong)i, TestPublisher.Now, lambda: 1.3);
                writer.Append(Topics.Event, EventCodec.EncodeToArray(e));
                Assert.True(monitor.Publisher.Event(e));
                if (i % 100 == 0) await Task.Delay(5);
            }
        }
        // Intermediate fits appear while the run goes on; wait for the first so the fit subscriber has joined.
        await Eventually.True(() => monitor.Host.State.Read(s => s.Fit(1)) is not null, "a first live fit");
        monitor.Publisher.RunEnd(run, count);

        FitMessage? final = null;
        await Eventually.True(() =>
        {
            while (fits.TryReceive(TimeSpan.FromMilliseconds(20), out var message))
            {
                var fit = FitMessage.FromMap(MapMessage.Decode(message.Payload.Span));
                if (fit.Extras.TryGetValue("final", out var flag) && flag is true) final = fit;
            }
            return final is not null;
        }, "the final fit on the fit topic", TimeSpan.FromSeconds(30));

        Assert.Equal(run, final!.Run);
        Assert.Equal((ulong)count, final.Events);
        Assert.Equal(1L, final.Extras["channel"]);
        Assert.InRange(final.Lambda, 0.5, 4.0);

        var offline = new RunFileAnalyzer(new OfflineOptions(), new MultiplicitySpectrumFitter(monitor.Settings.Fit)).Analyze(path);
        var offlineFit = offline.FittedSpectrum!.Fit!;
        Assert.Equal(offlineFit.Lambda, final.Lambda, 12);
        Assert.Equal(offlineFit.LambdaError, final.LambdaError, 12);
        Assert.Equal(offlineFit.Converged, final.Converged);
        Assert.Equal(offlineFit.ChiSquare, final.Chi2!.Value, 9);
        // The fit thread publishes, then stores the fit for the page.
        await Eventually.True(() => monitor.Host.State.Read(s => s.Fit(1)!.Final), "the final fit on the page");
    }

    [Fact]
    public async Task WhenBlocksOfBunchesCompleteThenTheTrendGetsOnePointPerBlockFollowingTheBeam()
    {
        await using var monitor = await TestMonitor.StartAsync(s => s with { TrendBunches = 200 });
        await monitor.PublishEventsAsync(3, 400, lambda: 0.8);
        await monitor.PublishEventsAsync(3, 400, lambda: 2.5);

        await Eventually.True(() => monitor.Host.State.Read(s => s.Trend.Points.Count) == 4, "four trend points", TimeSpan.FromSeconds(30));
        var points = monitor.Host.State.Read(s => s.Trend.Points.ToList());
        Assert.Equal([0, 1, 2, 3], points.Select(p => p.Index));
        Assert.All(points, p => Assert.Equal(200, p.Events));
        Assert.True(points[0].Lambda < 1.3 && points[1].Lambda < 1.3, $"first half λ {points[0].Lambda}, {points[1].Lambda}");
        Assert.True(points[2].Lambda > 1.8 && points[3].Lambda > 1.8, $"second half λ {points[2].Lambda}, {points[3].Lambda}");
    }
}
