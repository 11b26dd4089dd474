using BeamDAQ.Protocol.Hosting;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace BeamDAQ.Control.Facility.Configuration;

/// <summary>
/// Reads configs/facility.yaml strictly: an unknown key, a wrong type or a value out of range stops start-up
/// with the file, the key, the value and what is allowed (exit code 2 through <see cref="UsageException"/>).
/// </summary>
public static class FacilityConfigLoader
{
    public const string DefaultPath = "configs/facility.yaml";

    public static FacilityConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FacilityConfigException(path, [$"cannot read the file: {e.Message}"]);
        }
        return Parse(text, path);
    }

    /// <summary>Parses YAML text; <paramref name="sourceName"/> names it in error messages.</summary>
    public static FacilityConfig Parse(string yaml, string sourceName)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithDuplicateKeyChecking()
            .Build();
        FacilityConfig? config;
        try
        {
            config = deserializer.Deserialize<FacilityConfig?>(yaml);
        }
        catch (YamlException e)
        {
            // YamlDotNet names C# types and says "not in a correct format"; say the key path, the value and what it allows.
            string detail = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            string problem = FacilityYamlErrors.Describe(yaml, e, typeof(FacilityConfig))
                ?? $"line {e.Start.Line}, column {e.Start.Column}: {Friendly(detail)}";
            throw new FacilityConfigException(sourceName, [problem]);
        }
        config ??= new FacilityConfig(); // an empty file means all defaults

        var errors = new ConfigErrors();
        config.Validate(errors);
        if (errors.Any)
            throw new FacilityConfigException(sourceName, errors.Messages);
        return config;
    }

    /// <summary>The shipped defaults, for a run without a configuration file.</summary>
    public static FacilityConfig Defaults() => new();

    private static string Friendly(string message) =>
        message.Replace("Property '", "unknown key '").Replace("' not found on type '", "' in section '")
               .Replace("BeamDAQ.Control.Facility.Configuration.", "");
}

/// <summary>An invalid facility configuration: bad usage (exit code 2), listing every problem found.</summary>
public sealed class FacilityConfigException(string source, IReadOnlyList<string> problems)
    : UsageException($"{source}: invalid facility configuration:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
{
    public string ConfigSource { get; } = source;
    public IReadOnlyList<string> Problems { get; } = problems;
}
