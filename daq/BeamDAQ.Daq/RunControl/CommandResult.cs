namespace BeamDAQ.Daq.RunControl;

/// <summary>
/// The outcome of one run-control command as a value: done (with its reply keys) or refused (with an error naming
/// what was wrong and what is allowed). The handler adds <c>v</c>, <c>ok</c> and <c>state</c>.
/// </summary>
public sealed record CommandResult(bool Ok, string? Error, IReadOnlyDictionary<string, object?> Keys)
{
    private static readonly IReadOnlyDictionary<string, object?> None = new Dictionary<string, object?>();

    public static CommandResult Done(Dictionary<string, object?>? keys = null) => new(true, null, keys ?? None);

    public static CommandResult Refused(string error, Dictionary<string, object?>? keys = null) => new(false, error, keys ?? None);
}
