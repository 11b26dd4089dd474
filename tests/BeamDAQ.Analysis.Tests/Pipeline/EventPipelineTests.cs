using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Analysis.Tests.Support;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Tests.Pipeline;

public class EventPipelineTests
{
    private static byte[] EncodedEvent(ulong trigger, short[] codes) =>
        EventCodec.EncodeToArray(Waveforms.Event(2, 1e8, EventFlags.None, trigger, Waveforms.Channel(1, codes)));

    [Fact]
    public void WhenASinkThrowsThenItIsCountedAndTheOtherSinksStillGetEveryEvent()
    {
        var table = new FeatureTable();
        var pipeline = new EventPipeline(FeatureSettings.Default, [new ThrowingSink(), table]);
        for (ulong t = 1; t <= 5; t++) pipeline.Accept(Topics.Event, EncodedEvent(t, [0, 0, 5, 9]));
        Assert.Equal(5, table.Count);
        Assert.Equal(5, pipeline.Counters.SinkFailures);
        Assert.Equal(5, pipeline.Counters.Events);
    }

    [Fact]
    public void WhenAPayloadDoesNotDecodeThenItIsKeptAsAProblemAndTheStreamGoesOn()
    {
        var table = new FeatureTable();
        var pipeline = new EventPipeline(FeatureSettings.Default, [table]);
        pipeline.Accept(Topics.Event, EncodedEvent(1, [0, 0, 1]), offset: 8);
        pipeline.Accept(Topics.Event, new byte[] { 0x81, 0xA1 }, offset: 100);
        pipeline.Accept(Topics.RunBegin, new byte[] { 0xC1 }, offset: 200);
        pipeline.Accept(Topics.Event, EncodedEvent(2, [0, 0, 1]), offset: 300);
        Assert.Equal(2, table.Count);
        Assert.Equal(2, pipeline.Counters.Undecodable);
        Assert.Equal([100L, 200L], pipeline.Problems.Select(p => p.Offset));
        Assert.Equal(Topics.RunBegin, pipeline.Problems[1].Topic);
    }

    [Fact]
    public void WhenTriggerNumbersJumpThenTheGapsAreCountedAndRepeatsSeparately()
    {
        var pipeline = new EventPipeline(FeatureSettings.Default, []);
        foreach (ulong t in new ulong[] { 1, 2, 5, 6, 6, 10 }) pipeline.Accept(Topics.Event, EncodedEvent(t, [0, 0, 1]));
        Assert.Equal(2 + 3, pipeline.Counters.TriggerGaps);
        Assert.Equal(1, pipeline.Counters.TriggersOutOfOrder);
    }

    [Fact]
    public void WhenOtherTopicsArriveThenSinksSeeThemAsMaps()
    {
        var recorder = new RecordingSink();
        var pipeline = new EventPipeline(FeatureSettings.Default, [recorder]);
        pipeline.Accept(Topics.SlowControl, MapMessage.EncodeToArray(Topics.SlowControl, new Dictionary<string, object?> { ["device"] = "magnet", ["value"] = 1.5 }, 4));
        pipeline.Accept(Topics.RunBegin, MapMessage.EncodeToArray(Topics.RunBegin, new Dictionary<string, object?> { ["run"] = 9L, ["meta"] = new Dictionary<string, object?> { ["exit_aperture_x_mm"] = 6.9 } }, 5));
        Assert.Equal(Topics.SlowControl, Assert.Single(recorder.Topics));
        Assert.Equal(9UL, pipeline.Run!.Run);
        Assert.True(pipeline.Run.TryGetNumber("meta.exit_aperture_x_mm", out double aperture));
        Assert.Equal(6.9, aperture);
        Assert.Equal(1, recorder.RunBegins);
    }

    [Fact]
    public void WhenHistogrammingLiveThenTheBinningIsLearntAndNoEventIsLost()
    {
        var sink = new AmplitudeHistogramSink(learningEvents: 50);
        var pipeline = new EventPipeline(FeatureSettings.Default, [sink]);
        var random = new Random(1);
        for (ulong t = 1; t <= 30; t++)
            pipeline.AcceptEvent(Waveforms.Event(100, 1e8, EventFlags.None, t, Waveforms.Channel(2, Waveforms.Noisy(random, 300, 0, 5, 110, random.Next(3) * 400))));
        Assert.Equal(30, sink.Snapshot(2)!.Entries);   // still learning: binned from what is there
        for (ulong t = 31; t <= 200; t++)
            pipeline.AcceptEvent(Waveforms.Event(100, 1e8, EventFlags.None, t, Waveforms.Channel(2, Waveforms.Noisy(random, 300, 0, 5, 110, random.Next(3) * 400))));
        var histogram = sink.Snapshot(2)!;
        Assert.Equal(200, histogram.Entries);
        Assert.Null(sink.Snapshot(1));

        pipeline.Accept(Topics.RunBegin, MapMessage.EncodeToArray(Topics.RunBegin, new Dictionary<string, object?> { ["run"] = 2L }, 1));
        Assert.Null(sink.Snapshot(2));   // a new run starts a new spectrum
        Assert.Equal(200, histogram.Entries);   // the snapshot is a copy
    }

    private sealed class ThrowingSink : IEventSink
    {
        public void OnEvent(DaqEvent daqEvent, EventFeatures features) => throw new InvalidOperationException("broken stage");
    }

    private sealed class RecordingSink : IEventSink
    {
        public List<string> Topics { get; } = [];
        public int RunBegins { get; private set; }
        public void OnEvent(DaqEvent daqEvent, EventFeatures features) { }
        public void OnRunBegin(RunInfo run) => RunBegins++;
        public void OnMessage(string topic, IReadOnlyDictionary<string, object?> map) => Topics.Add(topic);
    }
}
