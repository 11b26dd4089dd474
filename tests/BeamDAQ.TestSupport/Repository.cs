namespace BeamDAQ.TestSupport;

/// <summary>
/// The source tree the tests were built from (shipped configs, test data, built programs): the first directory above
/// the test's output that holds BeamDAQ.sln.
/// </summary>
public static class Repository
{
    private static readonly Lazy<string?> Found = new(FindRoot);

    /// <summary>The repository's root; throws, naming where it looked, when the tests run outside a checkout.</summary>
    public static string Root => Found.Value ?? throw new InvalidOperationException($"no BeamDAQ.sln above {AppContext.BaseDirectory}");

    /// <summary>The root, or null outside a checkout (for tests that only leave artefacts there).</summary>
    public static string? RootOrNull => Found.Value;

    /// <summary>A path below the root, e.g. <c>PathTo("configs", "daq.yaml")</c>.</summary>
    public static string PathTo(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string? FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "BeamDAQ.sln")))
                return directory.FullName;
        return null;
    }
}
