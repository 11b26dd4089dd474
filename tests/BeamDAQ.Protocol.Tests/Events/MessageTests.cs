using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Tests.Events;

public sealed class MessageTests
{
    private static Dictionary<string, object?> OverTheWire(Dictionary<string, object?> map, ulong seq = 9, ulong tseq = 4)
        => MapMessage.Decode(MapMessage.EncodeToArray("test", map, seq, tseq));

    [Fact]
    public void WhenAMapIsEncodedThenItStartsWithTheSchemaVersionTheSequenceAndTheTopicSequence()
    {
        byte[] bytes = MapMessage.EncodeToArray("alarm", new Dictionary<string, object?> { ["a"] = 1L }, seq: 300, tseq: 12);
        var map = MapMessage.Decode(bytes);
        Assert.Equal(["v", "seq", "tseq", "a"], map.Keys);
        Assert.Equal((long)SchemaVersion.Current, map["v"]);
        Assert.Equal(300L, map["seq"]);
        Assert.Equal(12L, map["tseq"]);
        Assert.Equal(300UL, MapMessage.ReadSequence(bytes));
    }

    [Fact]
    public void WhenAMapIsEncodedWithoutATopicSequenceThenTseqIsLeftOut()
    {
        var map = MapMessage.Decode(MapMessage.EncodeToArray("alarm", new Dictionary<string, object?> { ["a"] = 1L }, seq: 300));
        Assert.Equal(["v", "seq", "a"], map.Keys);
    }

    [Fact]
    public void WhenTheMapCarriesItsOwnEnvelopeKeysThenThePublishersEnvelopeReplacesThem()
    {
        var map = OverTheWire(new Dictionary<string, object?> { ["seq"] = 1L, ["tseq"] = 2L, ["v"] = 77L, ["x"] = "y" }, seq: 5, tseq: 3);
        Assert.Equal(4, map.Count);
        Assert.Equal((5L, 3L), ((long)map["seq"]!, (long)map["tseq"]!));
        Assert.Equal((long)SchemaVersion.Current, map["v"]);
        Assert.DoesNotContain("tseq", OverTheWire(new Dictionary<string, object?> { ["tseq"] = 2L }, tseq: 0).Keys);
    }

    [Fact]
    public void WhenATypedMessageIsDecodedThenTheEnvelopeIsNotAnExtraAndAnExtraCannotBeTseq()
    {
        var alarm = new AlarmMessage { TimeNs = 1, Source = "daq", Severity = AlarmSeverity.Info, Code = "c", Message = "m" };
        var writer = new MessagePackWriter();
        alarm.Encode(seq: 40, tseq: 2, writer);

        Assert.Empty(AlarmMessage.FromMap(MapMessage.Decode(writer.WrittenSpan)).Extras);
        var clash = alarm with { Extras = new Dictionary<string, object?> { ["tseq"] = 1L } };
        Assert.Throws<ArgumentException>(() => clash.ToMap());
    }

    [Fact]
    public void WhenAMapValueCannotBeEncodedThenTheErrorNamesTopicAndKey()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            MapMessage.EncodeToArray("sc", new Dictionary<string, object?> { ["when"] = new object() }, 1));
        Assert.Contains("sc map: key 'when'", error.Message);
    }

    [Fact]
    public void WhenRunBeginRoundTripsThenConfigAppliedAndMetaSurviveAsMaps()
    {
        var message = new RunBeginMessage
        {
            Run = 12, TimeNs = -5, Software = "beamdaq 0.1.0",
            Config = new Dictionary<string, object?> { ["daq"] = new Dictionary<string, object?> { ["fs_hz"] = 1e9 } },
            Applied = new Dictionary<string, object?> { ["ranges"] = new List<object?> { 0.8, 4.0 } },
            Meta = new Dictionary<string, object?> { ["operator"] = "crew" },
        };
        var back = RunBeginMessage.FromMap(OverTheWire(message.ToMap()));
        Assert.Equal((12u, -5L, "beamdaq 0.1.0"), (back.Run, back.TimeNs, back.Software));
        Assert.Equal(1e9, ((Dictionary<string, object?>)back.Config["daq"]!)["fs_hz"]);
        Assert.Equal(new List<object?> { 0.8, 4.0 }, back.Applied["ranges"]);
        Assert.Equal("crew", back.Meta["operator"]);
        Assert.Empty(back.Extras);
    }

    [Fact]
    public void WhenRunEndCarriesExtrasThenTheyRoundTripAndCannotShadowDocumentedKeys()
    {
        var message = new RunEndMessage
        {
            Run = 3, TimeNs = 10, Events = 5, Missed = 1, Reason = "device lost",
            Extras = new Dictionary<string, object?> { ["gaps"] = new List<object?> { new List<object?> { 100L, 200L } } },
        };
        var back = RunEndMessage.FromMap(OverTheWire(message.ToMap()));
        Assert.Equal(message with { Extras = back.Extras }, back);
        Assert.Equal(new List<object?> { new List<object?> { 100L, 200L } }, back.Extras["gaps"]);

        var clash = message with { Extras = new Dictionary<string, object?> { ["events"] = 1L } };
        Assert.Throws<ArgumentException>(() => clash.ToMap());
    }

    [Fact]
    public void WhenDaqStatusRoundTripsThenANilRunMeansNoRun()
    {
        var message = new DaqStatusMessage
        {
            State = "Idle", Run = null, TriggerRateHz = 0, Events = 0, Missed = 0, DeadTimeFraction = 0,
            BytesWritten = 0, DeviceState = "ok", Dropped = 2, TimeNs = 123,
        };
        var map = OverTheWire(message.ToMap());
        Assert.True(map.ContainsKey("run"));
        Assert.Null(map["run"]);
        Assert.Equal(message, DaqStatusMessage.FromMap(map) with { Extras = message.Extras });
    }

    [Fact]
    public void WhenAlarmSlowControlAndFitRoundTripThenTheyAreEqual()
    {
        var alarm = new AlarmMessage { TimeNs = 1, Source = "magnet", Severity = AlarmSeverity.Critical, Code = "over-current", Message = "12.9 A > 12.5 A" };
        Assert.Equal(alarm, AlarmMessage.FromMap(OverTheWire(alarm.ToMap())) with { Extras = alarm.Extras });
        Assert.Equal("critical", alarm.ToMap()["severity"]);

        var sc = new SlowControlMessage { TimeNs = 2, Device = "collimator", Quantity = "jaw_left", Value = -1.25, Unit = "mm" };
        Assert.Equal(sc, SlowControlMessage.FromMap(OverTheWire(sc.ToMap())) with { Extras = sc.Extras });

        var fit = new FitMessage { Run = 4, TimeNs = 3, Lambda = 0.05, LambdaError = 0.002, Converged = false, Ndf = 40, Model = "landau" };
        var back = FitMessage.FromMap(OverTheWire(fit.ToMap()));
        Assert.Equal(fit with { Extras = back.Extras }, back);
        Assert.False(fit.ToMap().ContainsKey("chi2")); // absent stays absent
    }

    [Fact]
    public void WhenPythonWritesAWholeNumberForAFloatKeyThenFromMapAcceptsIt()
    {
        var map = new Dictionary<string, object?> { ["t_ns"] = 1L, ["device"] = "hv", ["quantity"] = "voltage", ["value"] = 500L, ["unit"] = "V" };
        Assert.Equal(500.0, SlowControlMessage.FromMap(map).Value);
    }

    [Fact]
    public void WhenARequiredKeyIsMissingThenFromMapNamesTopicAndKey()
    {
        var map = new RunEndMessage { Run = 1, TimeNs = 1, Events = 1, Missed = 0, Reason = "x" }.ToMap();
        map.Remove("missed");
        var error = Assert.Throws<FormatException>(() => RunEndMessage.FromMap(map));
        Assert.Equal("run.end map lacks the required key 'missed'", error.Message);
    }

    [Fact]
    public void WhenAValueHasTheWrongTypeOrRangeThenFromMapNamesKeyValueAndWhatIsAllowed()
    {
        var map = new RunEndMessage { Run = 1, TimeNs = 1, Events = 1, Missed = 0, Reason = "x" }.ToMap();
        map["events"] = -4L;
        var error = Assert.Throws<FormatException>(() => RunEndMessage.FromMap(map));
        Assert.Equal("run.end map: key 'events' = -4 (Int64); allowed: an unsigned integer", error.Message);

        map["events"] = 1L;
        map["run"] = 1L << 40;
        error = Assert.Throws<FormatException>(() => RunEndMessage.FromMap(map));
        Assert.Contains("key 'run' = 1099511627776", error.Message);
        Assert.Contains("0–4294967295", error.Message);
    }

    [Fact]
    public void WhenAnAlarmSeverityIsUnknownThenTheErrorListsTheAllowedOnes()
    {
        var map = new AlarmMessage { TimeNs = 1, Source = "s", Severity = AlarmSeverity.Info, Code = "c", Message = "m" }.ToMap();
        map["severity"] = "panic";
        var error = Assert.Throws<FormatException>(() => AlarmMessage.FromMap(map));
        Assert.Contains("info, warning, error, critical", error.Message);
    }

    [Fact]
    public void WhenTheSequenceKeyIsMissingThenReadSequenceIsAFormatError()
    {
        var writer = new MessagePackWriter();
        MessagePackValue.Write(writer, new Dictionary<string, object?> { ["v"] = 1L, [""] = new byte[10] });
        var error = Assert.Throws<MessagePackFormatException>(() => MapMessage.ReadSequence(writer.WrittenSpan));
        Assert.Contains("'seq'", error.Message);
    }
}
