using BeamDAQ.TestSupport;

namespace BeamDAQ.Control.Tests.Facility.Support;

/// <summary>The repository's shipped configuration files.</summary>
public static class ConfigFiles
{
    public static string Facility => Repository.PathTo("configs", "facility.yaml");
}
