using System.Diagnostics;
using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Analysis.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Analysis.Tests.Pipeline;

/// <summary>The live path over real ZeroMQ (libzmq, TCP on 127.0.0.1): the same pipeline as offline.</summary>
public class LiveEventSourceTests
{
    [Fact]
    public void WhenEventsArePublishedThenTheLivePipelineComputesTheSameFeaturesAsDirectExtraction()
    {
        using var context = new ZmqContext();
        using var publisher = new EventPublisher(context, "tcp://127.0.0.1:*");
        using var subscriber = new EventSubscriber(context, publisher.Endpoint);
        var table = new FeatureTable();
        var pipeline = new EventPipeline(FeatureSettings.Default, [table]);
        var source = new LiveEventSource(subscriber, pipeline);

        // A subscription takes a moment to reach the publisher: announce the run until it is heard.
        var runBegin = new Dictionary<string, object?> { ["run"] = 77L, ["meta"] = new Dictionary<string, object?> { ["exit_aperture_x_mm"] = 9.9 } };
        var deadline = Stopwatch.StartNew();
        while (pipeline.Run is null)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the subscriber never received run.begin");
            publisher.Publish(Topics.RunBegin, runBegin);
            source.ProcessAvailable(TimeSpan.FromMilliseconds(50));
        }

        var random = new Random(5);
        var events = Enumerable.Range(1, 200).Select(t =>
            Waveforms.Event(100, 5e7, EventFlags.None, (ulong)t, Waveforms.Channel(1, Waveforms.Noisy(random, 400, 20, 6, 105, random.Next(4) * 300)))).ToList();
        foreach (var e in events) Assert.True(publisher.PublishEvent(e));
        publisher.Publish(Topics.RunEnd, new Dictionary<string, object?> { ["run"] = 77L, ["events"] = 200L, ["missed"] = 0L, ["reason"] = "stopped" });

        deadline.Restart();
        while (pipeline.RunEnd is null)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"only {table.Count} of 200 events arrived");
            source.ProcessAvailable(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(200, table.Count);
        Assert.Equal(0, source.Missed);
        Assert.Equal(77UL, pipeline.Run!.Run);
        var extractor = new FeatureExtractor(FeatureSettings.Default);
        var expected = new EventFeatures();
        var amplitudes = table.Amplitudes(1);
        for (int i = 0; i < events.Count; i++)
        {
            extractor.Extract(events[i], expected);
            Assert.Equal(expected[0].Amplitude, amplitudes[i]);
        }
    }

    [Fact]
    public async Task WhenCancelledThenRunReturnsWithinItsPollInterval()
    {
        using var context = new ZmqContext();
        using var subscriber = new EventSubscriber(context, "tcp://127.0.0.1:1");   // nobody publishes there
        var source = new LiveEventSource(subscriber, new EventPipeline(FeatureSettings.Default, []));
        using var cancellation = new CancellationTokenSource();
        var runner = Task.Run(() => source.Run(cancellation.Token, TimeSpan.FromMilliseconds(20)));
        cancellation.Cancel();
        var finished = await Task.WhenAny(runner, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(finished == runner, "Run did not return after cancellation");
        await runner;
    }
}
