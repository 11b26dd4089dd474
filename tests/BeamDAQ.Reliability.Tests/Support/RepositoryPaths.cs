namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>Locates the repository (the folder holding BeamDAQ.sln) from the test binary.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Configs => Path.Combine(Root, "configs");

    public static string Docs => Path.Combine(Root, "docs");

    public static string Config(string name) => Path.Combine(Configs, name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BeamDAQ.sln"))) return dir.FullName;
        throw new InvalidOperationException($"BeamDAQ.sln not found above {AppContext.BaseDirectory}");
    }
}
