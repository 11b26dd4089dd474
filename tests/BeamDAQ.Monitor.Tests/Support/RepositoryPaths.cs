using BeamDAQ.TestSupport;

namespace BeamDAQ.Monitor.Tests.Support;

/// <summary>Where test artefacts go: artifacts/ at the repository root (gitignored), the temp folder outside a checkout.</summary>
public static class RepositoryPaths
{
    public static string Screenshots
    {
        get
        {
            string path = Path.Combine(Repository.RootOrNull ?? Path.GetTempPath(), "artifacts", "screenshots");
            Directory.CreateDirectory(path);
            return path;
        }
    }
}
