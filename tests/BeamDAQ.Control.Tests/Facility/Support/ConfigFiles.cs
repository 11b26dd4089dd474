namespace BeamDAQ.Control.Tests.Facility.Support;

/// <summary>Locates the repository's shipped configuration files from the test's output directory.</summary>
public static class ConfigFiles
{
    public static string Facility => Path.Combine(RepositoryRoot, "configs", "facility.yaml");

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "BeamDAQ.sln")))
                    return dir.FullName;
            throw new DirectoryNotFoundException($"no BeamDAQ.sln above {AppContext.BaseDirectory}");
        }
    }
}
