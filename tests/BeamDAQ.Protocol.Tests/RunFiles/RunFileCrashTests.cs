using System.Diagnostics;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Tests.RunFiles.Support;
using BeamDAQ.RunFileWriterTool;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Protocol.Tests.RunFiles;

/// <summary>
/// Crash safety with a real process: BeamDAQ.RunFileWriterTool appends records at a steady rate and reports
/// how many have reached the OS; the test kills it with SIGKILL mid-run and reads what is left.
/// </summary>
public sealed class RunFileCrashTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WhenTheWriterProcessIsKilledThenEveryRecordItReportedFlushedIsRecoveredIntact()
    {
        string path = _dir.File("killed.bdq");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { ToolPath(), "write", path, "--rate", "400", "--payload", "700", "--flush-ms", "100" })
            start.ArgumentList.Add(argument);

        long reportedFlushed = 0;
        int reports = 0;
        var stderr = new System.Text.StringBuilder();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the writer tool");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("flushed ", StringComparison.Ordinal))
            {
                Interlocked.Exchange(ref reportedFlushed, long.Parse(line["flushed ".Length..]));
                Interlocked.Increment(ref reports);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Several flushes have happened and the writer is in full flow: kill it between or during writes.
        Eventually.True(() => Volatile.Read(ref reports) >= 4 && Interlocked.Read(ref reportedFlushed) >= 150 || process.HasExited,
            TimeSpan.FromSeconds(60), () => $"the tool reported {reports} flushes ({reportedFlushed} records)");
        Assert.False(process.HasExited, $"the tool exited early with {(process.HasExited ? process.ExitCode : 0)}: {stderr}");
        process.Kill(); // SIGKILL: no finally blocks, no Dispose, no flush
        process.WaitForExit();
        long flushedBeforeKill = Interlocked.Read(ref reportedFlushed);

        var contents = RunFileContents.Read(path);

        Assert.Equal(137, process.ExitCode); // 128 + SIGKILL
        Assert.True(contents.Records.Count >= flushedBeforeKill,
            $"recovered {contents.Records.Count} records, the tool reported {flushedBeforeKill} flushed ({contents.EndState}: {contents.EndDescription})");
        for (int i = 0; i < contents.Records.Count; i++)
        {
            Assert.Equal(TestRecords.Topic, contents.Records[i].Topic);
            Assert.True(TestRecords.IsIntact(contents.Records[i].Payload, i), $"record {i} at offset {contents.Records[i].Offset} is not the record written");
        }
        Assert.Contains(contents.EndState, new[] { RunFileEndState.CleanEnd, RunFileEndState.TruncatedRecord });
    }

    private static string ToolPath()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "BeamDAQ.RunFileWriterTool.dll");
        Assert.True(File.Exists(path), $"{path} is missing: the test project references tests/tools/BeamDAQ.RunFileWriterTool");
        return path;
    }

    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH for test runs).</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
