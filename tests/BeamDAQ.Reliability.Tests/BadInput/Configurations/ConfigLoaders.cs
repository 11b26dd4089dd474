using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.RunControl.Configuration;
using BeamDAQ.Daq.Configuration;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Reliability.Tests.BadInput.Configurations;

/// <summary>The real loader of each configuration file, reading from a file on disk as the programs do.</summary>
public static class ConfigLoaders
{
    /// <summary>Loads <paramref name="path"/>; returns the error message, or null when the file was accepted.</summary>
    public static string? Load(ConfigFile file, string path)
    {
        try
        {
            switch (file)
            {
                case ConfigFile.Daq: DaqConfigurationLoader.Load(path); break;
                case ConfigFile.Facility: FacilityConfigLoader.Load(path); break;
                default: ControlConfigLoader.Load(path); break;
            }
            return null;
        }
        catch (UsageException e)
        {
            return e.Message;
        }
    }
}
