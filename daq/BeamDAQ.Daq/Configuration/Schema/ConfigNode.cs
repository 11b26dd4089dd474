namespace BeamDAQ.Daq.Configuration.Schema;

/// <summary>
/// A configuration document before validation, whatever it came from (a YAML file, run-control overrides,
/// command-line options), with the location of every node so problems can say file:line.
/// </summary>
internal abstract record ConfigNode(SourceLocation Location);

internal sealed record ConfigMapping(SourceLocation Location, IReadOnlyList<ConfigEntry> Entries) : ConfigNode(Location);

internal sealed record ConfigEntry(string Key, SourceLocation KeyLocation, ConfigNode Value);

internal sealed record ConfigSequence(SourceLocation Location, IReadOnlyList<ConfigNode> Items) : ConfigNode(Location);

/// <summary>
/// A scalar: YAML text (<see cref="Text"/>, with <see cref="Quoted"/> telling "12" from 12), or an already
/// typed value from an override map (<see cref="Typed"/> is true and <see cref="Value"/> holds it).
/// </summary>
internal sealed record ConfigScalar(SourceLocation Location, string? Text, bool Quoted, object? Value = null, bool Typed = false) : ConfigNode(Location)
{
    public bool IsNull => Typed ? Value is null : !Quoted && (Text is null || Text.Length == 0 || Text == "~" || Text.Equals("null", StringComparison.OrdinalIgnoreCase));

    /// <summary>The value as the user wrote it, for messages.</summary>
    public string Display => Typed
        ? Value switch
        {
            null => "null",
            string s => $"'{s}'",
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => Value.ToString() ?? "",
        }
        : Quoted ? $"'{Text}'" : Text ?? "null";
}
