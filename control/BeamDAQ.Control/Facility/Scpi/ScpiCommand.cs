namespace BeamDAQ.Control.Facility.Scpi;

/// <summary>One parsed SCPI program message: header nodes, query flag and comma-separated arguments.</summary>
public sealed class ScpiCommand
{
    private ScpiCommand(string header, string[] nodes, bool isQuery, string[] arguments)
    {
        Header = header;
        Nodes = nodes;
        IsQuery = isQuery;
        Arguments = arguments;
    }

    /// <summary>The header as received, without the query mark.</summary>
    public string Header { get; }
    public IReadOnlyList<string> Nodes { get; }
    public bool IsQuery { get; }
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Parses one line; a malformed one yields a syntax error text instead of a command.</summary>
    public static bool TryParse(string line, out ScpiCommand command, out string error)
    {
        command = null!;
        string trimmed = line.Trim();
        if (trimmed.Length == 0)
        {
            error = "empty command";
            return false;
        }
        int split = trimmed.IndexOfAny([' ', '\t']);
        string header = split < 0 ? trimmed : trimmed[..split];
        string rest = split < 0 ? "" : trimmed[(split + 1)..].Trim();

        bool isQuery = header.EndsWith('?');
        if (isQuery)
            header = header[..^1];
        if (header.StartsWith(':'))
            header = header[1..];
        if (header.Length == 0 || header.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is ':' or '*')) || header.Contains("::"))
        {
            error = $"bad header '{trimmed[..(split < 0 ? trimmed.Length : split)]}'";
            return false;
        }

        string[] arguments = rest.Length == 0 ? [] : rest.Split(',').Select(a => a.Trim()).ToArray();
        if (arguments.Any(a => a.Length == 0))
        {
            error = $"empty parameter in '{rest}'";
            return false;
        }
        command = new ScpiCommand(header, header.Split(':'), isQuery, arguments);
        error = "";
        return true;
    }

    public bool Is(ScpiPattern pattern) => pattern.Matches(Nodes);

    public override string ToString() =>
        Header + (IsQuery ? "?" : "") + (Arguments.Count > 0 ? " " + string.Join(",", Arguments) : "");
}
