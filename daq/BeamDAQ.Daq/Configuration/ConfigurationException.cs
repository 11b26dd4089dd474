using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Daq.Configuration;

/// <summary>Where a configuration value came from: a file and line, or an override (command line, run control).</summary>
public sealed record SourceLocation(string Source, int Line = 0, int Column = 0)
{
    public override string ToString() => Line > 0 ? $"{Source}:{Line}" : Source;
}

/// <summary>One thing wrong with a configuration: where, which key, and a message naming the value and what is allowed.</summary>
public sealed record ConfigurationProblem(SourceLocation? Location, string KeyPath, string Message)
{
    public override string ToString() => Location is null ? Message : $"{Location}: {Message}";
}

/// <summary>
/// A configuration that does not validate. Carries every problem found (not just the first), each with
/// file:line where known; exit code 2 (bad usage or configuration), nothing started.
/// </summary>
public sealed class ConfigurationException(IReadOnlyList<ConfigurationProblem> problems)
    : UsageException(Describe(problems))
{
    public IReadOnlyList<ConfigurationProblem> Problems { get; } = problems;

    private static string Describe(IReadOnlyList<ConfigurationProblem> problems) =>
        problems.Count == 1
            ? $"invalid configuration: {problems[0]}"
            : $"invalid configuration ({problems.Count} problems):" + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p));
}
