namespace BeamDAQ.Control.Facility.Scpi;

/// <summary>
/// A command header as SCPI documents it: mnemonics separated by ':', the short form in capitals
/// ("SOURce" accepts SOUR and SOURCE in any case), optional nodes in brackets ("[SOURce]:CURRent" also
/// accepts plain CURR).
/// </summary>
public sealed class ScpiPattern
{
    private readonly (string Long, string Short, bool Optional)[] nodes;

    public ScpiPattern(string pattern)
    {
        Text = pattern;
        nodes = pattern.Split(':').Select(node =>
        {
            bool optional = node.StartsWith('[') && node.EndsWith(']');
            string name = optional ? node[1..^1] : node;
            if (name.Length == 0)
                throw new ArgumentException($"empty node in SCPI pattern '{pattern}'", nameof(pattern));
            string shortForm = new(name.TakeWhile(c => !char.IsLower(c)).ToArray());
            return (name.ToUpperInvariant(), shortForm.ToUpperInvariant(), optional);
        }).ToArray();
    }

    public string Text { get; }

    public bool Matches(IReadOnlyList<string> headerNodes) => Match(0, headerNodes, 0);

    private bool Match(int patternIndex, IReadOnlyList<string> input, int inputIndex)
    {
        if (patternIndex == nodes.Length)
            return inputIndex == input.Count;
        var node = nodes[patternIndex];
        if (inputIndex < input.Count && NodeMatches(node, input[inputIndex]) && Match(patternIndex + 1, input, inputIndex + 1))
            return true;
        return node.Optional && Match(patternIndex + 1, input, inputIndex);
    }

    private static bool NodeMatches((string Long, string Short, bool Optional) node, string mnemonic) =>
        string.Equals(mnemonic, node.Long, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(mnemonic, node.Short, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Text;
}
