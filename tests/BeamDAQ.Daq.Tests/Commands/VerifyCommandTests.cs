using System.Text.Json;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Daq.Tests.Commands;

/// <summary><c>beamdaq-daq verify FILE [--json]</c>: counts, trigger numbering, end state with its offset, exit codes.</summary>
public sealed class VerifyCommandTests
{
    [Fact]
    public void WhenTheRunIsCompleteThenVerifySaysOkListsTheTopicsAndExitsZero()
    {
        using var dir = new TempDirectory();
        string file = Record(dir, "--fault", "remove@10:1s");
        var harness = new CommandHarness();
        Assert.Equal(ExitCodes.Success, harness.Run("verify", file));
        string text = harness.Out.ToString();
        Assert.Contains(": OK", text);
        Assert.Contains("evt 30", text);
        Assert.Contains("triggers   1…30, no gap", text);
        Assert.Contains("run.end    reason 'event limit', 30 events", text);
        Assert.Contains("device outage", text);
        Assert.Contains("CleanEnd", text);
    }

    [Fact]
    public void WhenTheFileIsTruncatedThenJsonReportsTheEndStateWithItsOffsetAndTheExitCodeIs1()
    {
        using var dir = new TempDirectory();
        string file = Record(dir);
        var recorded = RecordedRun.Read(file);
        long cut = recorded.Records[^3].Offset; // the record where the file now ends mid-way
        using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(cut + 20);

        var harness = new CommandHarness();
        Assert.Equal(ExitCodes.RuntimeFailure, harness.Run("verify", file, "--json"));
        using var json = JsonDocument.Parse(harness.Out.ToString());
        var root = json.RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal(nameof(RunFileEndState.TruncatedRecord), root.GetProperty("end_state").GetString());
        Assert.Equal(cut, root.GetProperty("end_offset").GetInt64());
        Assert.Equal(28, root.GetProperty("events").GetInt64());
        Assert.Equal(28, root.GetProperty("last_trigger").GetInt64());
        Assert.False(root.GetProperty("ends_with_run_end").GetBoolean());
        Assert.Contains(root.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains($"at offset {cut}"));
    }

    [Fact]
    public void WhenTriggerNumbersAreMissingThenTheGapsAreListed()
    {
        using var dir = new TempDirectory();
        string file = dir.File("gappy.bdq");
        using (var writer = RunFileWriter.Create(file))
        {
            var begin = new RunBeginMessage { Run = 1, TimeNs = 0, Config = new Dictionary<string, object?>(), Applied = new Dictionary<string, object?>(), Software = "test", Meta = new Dictionary<string, object?>() };
            writer.Append(Topics.RunBegin, MapMessage.EncodeToArray(Topics.RunBegin, begin.ToMap(), 1));
            ulong seq = 0;
            foreach (ulong trg in new ulong[] { 1, 2, 3, 7, 8 })
                writer.Append(Topics.Event, EventCodec.EncodeToArray(new DaqEvent(1, trg, 0, EventFlags.None, 1e6, 0, []) { Sequence = ++seq }));
            var end = new RunEndMessage { Run = 1, TimeNs = 0, Events = 5, Missed = 0, Reason = "test" };
            writer.Append(Topics.RunEnd, MapMessage.EncodeToArray(Topics.RunEnd, end.ToMap(), 1));
        }

        var harness = new CommandHarness();
        Assert.Equal(ExitCodes.RuntimeFailure, harness.Run("verify", file));
        string text = harness.Out.ToString();
        Assert.Contains("3 missing in 1 gap(s)", text);
        Assert.Contains("missing 4…6 (3)", text);
        Assert.Contains("records were lost", text);
    }

    [Fact]
    public void WhenTheFileDoesNotExistThenTheExitCodeIs2()
    {
        var harness = new CommandHarness();
        Assert.Equal(ExitCodes.BadUsage, harness.Run("verify", "/nonexistent/run_000001.bdq"));
        Assert.Contains("not found", harness.Error.ToString());
    }

    private static string Record(TempDirectory dir, params string[] extra)
    {
        File.WriteAllText(dir.File("daq.yaml"), "digitizer:\n  record_length: 64\n");
        var harness = new CommandHarness();
        int exit = harness.Run(["run", "--config", dir.File("daq.yaml"), "--sim", "--rate", "max", "--events", "30", "--out", dir.Path, "--publish", "tcp://127.0.0.1:*", .. extra]);
        Assert.True(exit == ExitCodes.Success, harness.Error.ToString());
        return dir.File("run_000001.bdq");
    }
}
