namespace BeamDAQ.Reliability.Tests.BadInput.Configurations;

/// <summary>The three configuration files a BeamDAQ installation has.</summary>
public enum ConfigFile
{
    Daq,
    Facility,
    Control,
}

/// <summary>
/// One malformed configuration: the YAML, and what its error must say — the key's full path and (a fragment of)
/// what is allowed. The document is complete, so the same text goes through the loader and through the program.
/// </summary>
/// <param name="File">Which file this is (and so which loader and program read it).</param>
/// <param name="What">What is wrong, in a few words (the docs table's first column).</param>
/// <param name="Yaml">The whole file.</param>
/// <param name="Key">The key path the message must name.</param>
/// <param name="Allowed">A fragment of what the message must say is allowed.</param>
public sealed record ConfigCase(ConfigFile File, string What, string Yaml, string Key, string Allowed)
{
    public string FileName => File switch
    {
        ConfigFile.Daq => "daq.yaml",
        ConfigFile.Facility => "facility.yaml",
        _ => "control.yaml",
    };

    public override string ToString() => $"{FileName}: {What}";
}
