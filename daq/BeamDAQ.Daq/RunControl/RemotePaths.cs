namespace BeamDAQ.Daq.RunControl;

/// <summary>
/// The configuration keys that name files, as they arrive in a <c>configure</c> request from the network: run files
/// must stay inside the daq's own run directory (a subdirectory is fine; '..', another absolute path or a NUL is not),
/// and a template may only be a plain relative path beside the daq's configuration — otherwise a remote peer could
/// make the daq write anywhere it may, or read any file and get its first line back in the error message.
/// Checked before the configuration is loaded, so a refused file is never opened.
/// </summary>
public static class RemotePaths
{
    public const string OutputDirectoryKey = "output.directory";
    public const string TemplateFileKey = "simulator.detector.template_file";

    /// <summary>Null when every path in <paramref name="overrides"/> is allowed; otherwise the refusal, naming the key, the value and what is allowed.</summary>
    /// <param name="runDirectory">The output directory the daq was started with.</param>
    public static string? Check(IReadOnlyDictionary<string, object?> overrides, string runDirectory)
    {
        foreach (var (key, value) in Flatten(overrides, ""))
        {
            if (key == OutputDirectoryKey)
            {
                string root = Path.GetFullPath(runDirectory);
                if (value is not string directory || !IsInside(directory, root))
                    return $"configure '{OutputDirectoryKey}' = {Show(value)} is not allowed from run control: run files stay inside the run directory '{root}' " +
                           "(a subdirectory of it is fine); set another directory in the daq's own configuration";
            }
            else if (key == TemplateFileKey && value is not null)
            {
                if (value is not string file || file.Length == 0 || file.Contains('\0') || Path.IsPathRooted(file) || HasParentSegment(file))
                    return $"configure '{TemplateFileKey}' = {Show(value)} is not allowed from run control: a relative path beside the daq's configuration file, " +
                           "without '..'; set other files in the daq's own configuration";
            }
        }
        return null;
    }

    private static bool IsInside(string directory, string root)
    {
        if (directory.Length == 0 || directory.Contains('\0')) return false;
        string full = Path.GetFullPath(directory);
        return full == root || full.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static bool HasParentSegment(string path) => path.Split('/', '\\').Contains("..");

    /// <summary>Nested maps and dotted keys alike, as <c>output.directory</c>.</summary>
    private static IEnumerable<(string Key, object? Value)> Flatten(IReadOnlyDictionary<string, object?> map, string prefix)
    {
        foreach (var (key, value) in map)
        {
            string path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value is IReadOnlyDictionary<string, object?> nested)
                foreach (var inner in Flatten(nested, path)) yield return inner;
            else
                yield return (path, value);
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "nil",
        string s => $"'{s.Replace("\0", "\\0")}'",
        _ => $"a {value.GetType().Name}",
    };
}
