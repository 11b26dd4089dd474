using BeamDAQ.Reliability.Tests.Support;

namespace BeamDAQ.Reliability.Tests.Security;

/// <summary>
/// File names that arrive over the network cannot reach outside the run directory: a run number is a number, and a
/// configure request cannot move the output directory elsewhere ('../', absolute paths, NUL) nor make the daq read an
/// arbitrary file (a template path) and echo it back. Each refusal leaves nothing on disk and the daq keeps serving.
/// </summary>
public sealed class PathEscapeTests
{
    private const string Config = "simulator:\n  pacing: max\noutput:\n  directory: runs\n";

    public static TheoryData<string, string> HostilePaths => new()
    {
        { "output.directory", "../escaped" },
        { "output.directory", "runs/../../escaped" },
        { "output.directory", "/tmp/beamdaq-escaped-absolute" },
        { "output.directory", "runs/\0/../../escaped" },
        { "output.directory", "" },
        { "simulator.detector.template_file", "/etc/passwd" },
        { "simulator.detector.template_file", "../../../../etc/passwd" },
    };

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public void WhenAConfigureRequestCarriesAPathOutsideTheRunDirectoryThenItIsRefusedAndNothingIsWrittenOrRead(string key, string path)
    {
        using var dir = new TempDirectory();
        using var daq = DaqServer.Start(dir.Path, Config);
        using var client = new RunControlClient(daq.ControlEndpoint);
        var overrides = new Dictionary<string, object?> { [key] = path };
        if (key.StartsWith("simulator.detector", StringComparison.Ordinal)) overrides["simulator.detector.response"] = "template";

        var reply = client.Send("configure", new() { ["config"] = overrides });

        Assert.False(RunControlClient.Ok(reply), $"configure {key} = '{path}' was accepted: {string.Join(", ", reply)}");
        string error = RunControlClient.Error(reply);
        Assert.Contains(key, error);
        Assert.DoesNotContain("root:", error); // nothing of the file read is echoed
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "..", "escaped")) || Directory.Exists("/tmp/beamdaq-escaped-absolute"),
            "a directory was created outside the run directory");

        // The daq is still serving and records where it should.
        Assert.True(RunControlClient.Ok(client.Send("configure")));
        Assert.True(RunControlClient.Ok(client.Send("start", new() { ["run"] = 7L, ["events"] = 5L })));
        Eventually.True(() => File.Exists(Path.Combine(dir.Path, "runs", "run_000007.bdq")), "run 7 recorded in runs/");
    }

    public static TheoryData<object?> HostileRunNumbers => new() { -1L, 0L, 4294967296L, "../1", "1/../../x", 1.5, null };

    [Theory]
    [MemberData(nameof(HostileRunNumbers))]
    public void WhenAStartRequestCarriesARunNumberThatIsNotAPositive32BitIntegerThenItIsRefused(object? run)
    {
        using var dir = new TempDirectory();
        using var daq = DaqServer.Start(dir.Path, Config);
        using var client = new RunControlClient(daq.ControlEndpoint);
        Assert.True(RunControlClient.Ok(client.Send("configure")));

        var reply = client.Send("start", new() { ["run"] = run });

        Assert.False(RunControlClient.Ok(reply));
        Assert.Contains("'run'", RunControlClient.Error(reply));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path, "*.bdq", SearchOption.AllDirectories));
    }

    [Fact]
    public void TheLargestRunNumberStillNamesAFileInsideTheRunDirectory()
    {
        using var dir = new TempDirectory();
        using var daq = DaqServer.Start(dir.Path, Config);
        using var client = new RunControlClient(daq.ControlEndpoint);
        Assert.True(RunControlClient.Ok(client.Send("configure")));
        var reply = client.Send("start", new() { ["run"] = (long)uint.MaxValue, ["events"] = 3L });
        Assert.True(RunControlClient.Ok(reply), RunControlClient.Error(reply));
        string file = (string)reply["file"]!;
        Assert.Equal(Path.Combine(dir.Path, "runs", "run_4294967295.bdq"), file);
    }
}
