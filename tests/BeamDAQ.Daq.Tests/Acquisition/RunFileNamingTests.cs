using BeamDAQ.Daq.Acquisition;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Daq.Tests.Acquisition;

public sealed class RunFileNamingTests
{
    [Fact]
    public void WhenARunNumberIsNamedThenItHasSixDigitsAndTheBdqExtension()
    {
        Assert.Equal("run_000042.bdq", RunFileNaming.FileName(42));
        Assert.Equal("run_1234567.bdq", RunFileNaming.FileName(1_234_567));
    }

    [Fact]
    public void WhenRunFilesExistThenTheNextNumberFollowsTheHighest()
    {
        using var dir = new TempDirectory();
        Assert.Equal(1u, RunFileNaming.NextRunNumber(dir.Path));
        File.WriteAllText(dir.File("run_000003.bdq"), "");
        File.WriteAllText(dir.File("run_000011.bdq"), "");
        File.WriteAllText(dir.File("run_notanumber.bdq"), "");
        Assert.Equal(12u, RunFileNaming.NextRunNumber(dir.Path));
    }

    [Fact]
    public void WhenTheOutputDirectoryCannotBeCreatedThenTheErrorNamesItAndTheReason()
    {
        using var dir = new TempDirectory();
        string blocker = dir.File("a-file");
        File.WriteAllText(blocker, "");
        var e = Assert.Throws<RunRefusedException>(() => RunFileNaming.EnsureWritable(Path.Combine(blocker, "runs")));
        Assert.Contains(Path.Combine(blocker, "runs"), e.Message);
        Assert.Contains("cannot write run files", e.Message);
    }
}
