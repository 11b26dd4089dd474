namespace BeamDAQ.Monitor.Tests.Support;

/// <summary>Where test artefacts go: artifacts/ at the repository root (gitignored).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Screenshots
    {
        get
        {
            string path = Path.Combine(Root, "artifacts", "screenshots");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BeamDAQ.sln"))) return dir.FullName;
        return Path.GetTempPath();
    }
}
