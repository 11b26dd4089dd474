using BeamDAQ.TestSupport;

namespace BeamDAQ.Daq.Tests.Support;

/// <summary>Files of the source tree (configs, test data) the daq tests read.</summary>
internal static class RepositoryPaths
{
    public static string Configs(string name) => Repository.PathTo("configs", name);

    public static string TestData(string name) => Repository.PathTo("tests", "BeamDAQ.Daq.Tests", "TestData", name);
}
