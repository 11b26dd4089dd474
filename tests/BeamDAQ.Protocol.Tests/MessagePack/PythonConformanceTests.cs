using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.Tests.MessagePack.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Protocol.Tests.MessagePack;

/// <summary>
/// BeamDAQ's MessagePack against Debian's python3-msgpack (<c>packb(x, use_bin_type=True)</c>), the reader
/// analysts use: byte-identical encodings, and each side decodes the other's bytes to the original values.
/// </summary>
public sealed class PythonConformanceTests(ConformanceFixture fixture, ITestOutputHelper output) : IClassFixture<ConformanceFixture>
{
    [Fact]
    public void WhenBeamDaqEncodesTheCorpusThenEveryValueIsByteIdenticalToPythonMsgpack()
    {
        var mismatches = fixture.Results
            .Where(r => !r.BeamDaqBytes.AsSpan().SequenceEqual(r.PythonBytes))
            .Select(r => $"{r.Case.Name}: first difference at byte {FirstDifference(r.BeamDaqBytes, r.PythonBytes)} " +
                         $"(BeamDAQ {r.BeamDaqBytes.Length} bytes {Head(r.BeamDaqBytes)}, Python {r.PythonBytes.Length} bytes {Head(r.PythonBytes)})")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Fact]
    public void WhenBeamDaqDecodesPythonsBytesThenItGetsTheOriginalValues()
    {
        var failures = new List<string>();
        foreach (var r in fixture.Results)
        {
            var reader = new MessagePackReader(r.PythonBytes);
            object? value = MessagePackValue.Read(ref reader);
            if (!reader.End)
                failures.Add($"{r.Case.Name}: {reader.Remaining} bytes left after the value");
            if (ValueComparer.Difference(r.Case.Value, value) is { } difference)
                failures.Add($"{r.Case.Name}: {difference}");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void WhenPythonUnpacksBeamDaqsBytesThenItGetsTheOriginalValues()
    {
        var failures = fixture.Results.Where(r => !r.PythonUnpackedBeamDaqBytes).Select(r => $"{r.Case.Name}: {r.PythonDetail}").ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void TheCorpusHasAtLeast200ValuesAndUsesEveryFormatOfTheSpecification()
    {
        Assert.True(fixture.Results.Count >= 200, $"corpus has {fixture.Results.Count} values");
        var families = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var r in fixture.Results)
            FormatCensus.Collect(r.PythonBytes, families);
        string[] required =
        [
            "nil", "true", "false", "positive fixint", "negative fixint", "uint 8", "uint 16", "uint 32", "uint 64",
            "int 8", "int 16", "int 32", "int 64", "float 32", "float 64", "fixstr", "str 8", "str 16", "str 32",
            "bin 8", "bin 16", "bin 32", "fixarray", "array 16", "array 32", "fixmap", "map 16", "map 32",
            "fixext 1", "fixext 2", "fixext 4", "fixext 8", "fixext 16", "ext 8", "ext 16", "ext 32",
            "timestamp 32", "timestamp 64", "timestamp 96",
        ];
        output.WriteLine($"{fixture.Results.Count} values; formats used: {string.Join(", ", families)}");
        Assert.Empty(required.Except(families));
    }

    [Fact]
    public void WhenPythonPacksAnEvtMapThenEventCodecDecodesItWithSamplesSlicedFromThePayload()
    {
        var r = fixture.Named("message evt");
        var expected = SampleEvents.Create(channels: 4, samplesPerChannel: 100, seed: 3);
        var decoded = EventCodec.Decode(r.PythonBytes);
        Assert.Equal((expected.Sequence, expected.TopicSequence), (decoded.Sequence, decoded.TopicSequence));
        Assert.Equal(expected.TimeNs, decoded.TimeNs);
        Assert.Equal(expected.Flags, decoded.Flags);
        Assert.Equal(expected.Channels.Count, decoded.Channels.Count);
        for (int i = 0; i < expected.Channels.Count; i++)
            Assert.True(expected.Channels[i].SampleBytes.Span.SequenceEqual(decoded.Channels[i].SampleBytes.Span));
    }

    [Fact]
    public void WhenPythonPacksEachMessageMapThenFromMapRestoresTheTypedMessage()
    {
        var runEnd = RunEndMessage.FromMap(MapMessage.Decode(fixture.Named("message run.end").PythonBytes));
        Assert.Equal((42u, 123_456UL, 7UL, "operator stop"), (runEnd.Run, runEnd.Events, runEnd.Missed, runEnd.Reason));
        Assert.True(runEnd.Extras.ContainsKey("gaps"));

        var begin = RunBeginMessage.FromMap(MapMessage.Decode(fixture.Named("message run.begin").PythonBytes));
        Assert.Equal("beamdaq 0.1.0", begin.Software);
        Assert.Equal(1e9, ((Dictionary<string, object?>)begin.Config["daq"]!)["fs_hz"]);

        var status = DaqStatusMessage.FromMap(MapMessage.Decode(fixture.Named("message daq.status between runs").PythonBytes));
        Assert.Null(status.Run);
        Assert.Equal("Idle", status.State);

        var alarm = AlarmMessage.FromMap(MapMessage.Decode(fixture.Named("message alarm").PythonBytes));
        Assert.Equal(AlarmSeverity.Error, alarm.Severity);

        var sc = SlowControlMessage.FromMap(MapMessage.Decode(fixture.Named("message sc").PythonBytes));
        Assert.Equal(12.5, sc.Value);

        var fit = FitMessage.FromMap(MapMessage.Decode(fixture.Named("message fit").PythonBytes));
        Assert.Equal((2.31, 0.02, true, 45L), (fit.Lambda, fit.LambdaError, fit.Converged, fit.Ndf));
        Assert.Null(fit.LambdaMean);
        Assert.Equal(7UL, MapMessage.ReadSequence(fixture.Named("message fit").PythonBytes));
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
            if (a[i] != b[i]) return i;
        return n;
    }

    private static string Head(byte[] bytes) => Convert.ToHexString(bytes, 0, Math.Min(bytes.Length, 16));
}
