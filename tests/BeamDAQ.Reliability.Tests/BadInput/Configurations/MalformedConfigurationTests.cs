using BeamDAQ.Reliability.Tests.Support;

namespace BeamDAQ.Reliability.Tests.BadInput.Configurations;

/// <summary>
/// Every malformed configuration of <see cref="ConfigCases"/> stops its loader with a usage error (exit code 2 in
/// the programs) whose message names the file, the key and what is allowed.
/// </summary>
public sealed class MalformedConfigurationTests
{
    public static TheoryData<int> Cases => [.. Enumerable.Range(0, ConfigCases.All.Count)];

    [Fact]
    public void TheTableHoldsAtLeastFiftyCasesCoveringAllThreeFiles()
    {
        Assert.True(ConfigCases.All.Count >= 50, $"{ConfigCases.All.Count} cases");
        foreach (var file in Enum.GetValues<ConfigFile>())
            Assert.True(ConfigCases.All.Count(c => c.File == file) >= 10, $"{file}: fewer than 10 cases");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WhenAConfigurationIsMalformedThenTheLoaderRefusesItNamingTheFileTheKeyAndWhatIsAllowed(int index)
    {
        var c = ConfigCases.All[index];
        using var dir = new TempDirectory();
        string path = dir.Write(c.FileName, c.Yaml);

        string? message = ConfigLoaders.Load(c.File, path);

        Assert.True(message is not null, $"{c}: the loader accepted it");
        Assert.Contains(path, message);
        Assert.True(message.Contains(c.Key, StringComparison.Ordinal), $"{c}: the message does not name '{c.Key}': {message}");
        Assert.True(message.Contains(c.Allowed, StringComparison.Ordinal), $"{c}: the message does not say '{c.Allowed}': {message}");
    }

    [Fact]
    public void TheShippedConfigurationsLoad()
    {
        Assert.Null(ConfigLoaders.Load(ConfigFile.Daq, RepositoryPaths.Config("daq.yaml")));
        Assert.Null(ConfigLoaders.Load(ConfigFile.Facility, RepositoryPaths.Config("facility.yaml")));
        Assert.Null(ConfigLoaders.Load(ConfigFile.Control, RepositoryPaths.Config("control.yaml")));
    }
}
