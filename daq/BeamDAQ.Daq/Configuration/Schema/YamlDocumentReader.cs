using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BeamDAQ.Daq.Configuration.Schema;

/// <summary>Reads a YAML document with YamlDotNet into <see cref="ConfigNode"/>s that remember file:line.</summary>
internal static class YamlDocumentReader
{
    /// <summary>The document's root, or null for an empty document. Syntax errors become problems with their line.</summary>
    public static ConfigNode? Read(TextReader reader, string source, List<ConfigurationProblem> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            var location = new SourceLocation(source, (int)e.Start.Line, (int)e.Start.Column);
            string message = e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} {inner.Message}" : e.Message;
            problems.Add(new ConfigurationProblem(location, "", $"not valid YAML: {message}"));
            return null;
        }
        if (stream.Documents.Count == 0) return null;
        if (stream.Documents.Count > 1)
            problems.Add(new ConfigurationProblem(new SourceLocation(source), "", $"holds {stream.Documents.Count} YAML documents; a configuration is one document"));
        return Convert(stream.Documents[0].RootNode, source, problems);
    }

    private static ConfigNode Convert(YamlNode node, string source, List<ConfigurationProblem> problems)
    {
        var location = new SourceLocation(source, (int)node.Start.Line, (int)node.Start.Column);
        switch (node)
        {
            case YamlMappingNode mapping:
                var entries = new List<ConfigEntry>();
                foreach (var (key, value) in mapping.Children)
                {
                    var keyLocation = new SourceLocation(source, (int)key.Start.Line, (int)key.Start.Column);
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        problems.Add(new ConfigurationProblem(keyLocation, "", "a key must be a plain name, not a list or a mapping"));
                        continue;
                    }
                    entries.Add(new ConfigEntry(name, keyLocation, Convert(value, source, problems)));
                }
                return new ConfigMapping(location, entries);
            case YamlSequenceNode sequence:
                return new ConfigSequence(location, sequence.Children.Select(c => Convert(c, source, problems)).ToList());
            case YamlScalarNode scalar:
                return new ConfigScalar(location, scalar.Value, scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded);
            default:
                problems.Add(new ConfigurationProblem(location, "", $"unsupported YAML node {node.NodeType}"));
                return new ConfigScalar(location, null, false);
        }
    }
}
