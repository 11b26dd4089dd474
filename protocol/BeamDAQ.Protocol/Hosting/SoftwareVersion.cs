using System.Reflection;

namespace BeamDAQ.Protocol.Hosting;

/// <summary>The version string recorded in run.begin, in fit results and in the catalog.</summary>
public static class SoftwareVersion
{
    public static string Current { get; } =
        "BeamDAQ " + (typeof(SoftwareVersion).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");
}
