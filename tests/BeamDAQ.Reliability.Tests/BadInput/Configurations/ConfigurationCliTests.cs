using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Reliability.Tests.Support;

namespace BeamDAQ.Reliability.Tests.BadInput.Configurations;

/// <summary>
/// A sample of the malformed configurations through the real programs: nothing starts, the exit code is 2 (bad usage
/// or configuration) and stderr carries the same message as the loader — the key and what is allowed.
/// </summary>
public sealed class ConfigurationCliTests
{
    public static TheoryData<int> Sample
    {
        get
        {
            // Every fourth case of each file: a few per program, cheap enough for CI.
            var data = new TheoryData<int>();
            foreach (var file in Enum.GetValues<ConfigFile>())
            {
                var indices = ConfigCases.All.Select((c, i) => (c, i)).Where(x => x.c.File == file).Select(x => x.i).ToList();
                for (int k = 0; k < indices.Count; k += 4) data.Add(indices[k]);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Sample))]
    public void WhenAProgramIsStartedWithAMalformedConfigurationThenItExitsWithTwoNamingTheKeyAndWhatIsAllowed(int index)
    {
        var c = ConfigCases.All[index];
        using var dir = new TempDirectory();
        string path = dir.Write(c.FileName, c.Yaml);
        var (program, arguments) = c.File switch
        {
            ConfigFile.Daq => (ProgramName.Daq, new[] { "run", "--config", path, "--events", "1", "--out", dir.File("runs") }),
            ConfigFile.Facility => (ProgramName.Control, new[] { "facility-sim", "--config", path, "--base-port", "0" }),
            _ => (ProgramName.Control, new[] { "serve", "--config", path, "--catalog", dir.File("catalog.sqlite") }),
        };

        var (exitCode, stdout, stderr) = BeamDaqProgram.Run(program, dir.Path, arguments, TimeSpan.FromSeconds(60));

        Assert.True(exitCode == ExitCodes.BadUsage, $"{c}: exit code {exitCode}, expected {ExitCodes.BadUsage}; stderr: {stderr}");
        Assert.True(stderr.Contains(c.Key, StringComparison.Ordinal) && stderr.Contains(c.Allowed, StringComparison.Ordinal),
            $"{c}: stderr does not name '{c.Key}' and '{c.Allowed}': {stderr}");
        Assert.False(Directory.Exists(dir.File("runs")) && Directory.EnumerateFiles(dir.File("runs"), "*.bdq").Any(), $"{c}: a run file was created");
        Assert.False(File.Exists(dir.File("catalog.sqlite")), $"{c}: a catalog was created");
        Assert.DoesNotContain("Unhandled exception", stderr + stdout);
    }
}
