namespace BeamDAQ.Daq.Tests.Support;

/// <summary>Files of the source tree (configs, test data), found from the test's output directory upwards.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Configs(string name) => Path.Combine(Root, "configs", name);

    public static string TestData(string name) => Path.Combine(Root, "tests", "BeamDAQ.Daq.Tests", "TestData", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BeamDAQ.sln"))) return dir.FullName;
        throw new InvalidOperationException($"BeamDAQ.sln not found above {AppContext.BaseDirectory}");
    }
}
