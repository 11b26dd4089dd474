namespace BeamDAQ.Integration.Tests.Support;

/// <summary>The repository these tests were built from: the first directory above the test's output holding BeamDAQ.sln.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ShiftScript => Path.Combine(Root, "run-scripts", "shift.sh");

    public static string FacilityConfig => Path.Combine(Root, "configs", "facility.yaml");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BeamDAQ.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException($"no BeamDAQ.sln above {AppContext.BaseDirectory}");
    }
}
