using System.Text.Json;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Tests.MessagePack.Support;

/// <summary>
/// Encodes the whole corpus with BeamDAQ, then runs the Python peer once for all of it: Python packs every value
/// and unpacks BeamDAQ's bytes. The tests then compare, value by value.
/// </summary>
public sealed class ConformanceFixture : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beamdaq-msgpack-conformance-").FullName;

    public ConformanceFixture()
    {
        var corpus = ConformanceCorpus.Build();
        var writer = new MessagePackWriter();
        var encoded = new List<(ConformanceCase Case, byte[] Bytes)>();
        foreach (var c in corpus)
        {
            byte[] bytes;
            if (c.Encode is not null)
            {
                bytes = c.Encode();
            }
            else
            {
                writer.Reset();
                MessagePackValue.Write(writer, c.Value);
                bytes = writer.WrittenSpan.ToArray();
            }
            encoded.Add((c, bytes));
        }

        string casesPath = Path.Combine(_directory, "cases.jsonl");
        string resultsPath = Path.Combine(_directory, "results.jsonl");
        using (var stream = File.Create(casesPath))
        {
            foreach (var (c, bytes) in encoded)
            {
                using (var json = new Utf8JsonWriter(stream))
                {
                    json.WriteStartObject();
                    json.WriteString("name", c.Name);
                    json.WritePropertyName("value");
                    TaggedJson.Write(json, c.Value);
                    json.WriteBoolean("single", c.Single);
                    json.WriteString("csharp", Convert.ToHexString(bytes));
                    json.WriteEndObject();
                }
                stream.WriteByte((byte)'\n');
            }
        }

        PythonPeer.Run("msgpack_conformance.py", TimeSpan.FromMinutes(2), casesPath, resultsPath);

        var results = File.ReadLines(resultsPath)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(r => r.GetProperty("name").GetString()!);
        Results = encoded.Select(e =>
        {
            var r = results[e.Case.Name];
            return new ConformanceResult(e.Case, e.Bytes, Convert.FromHexString(r.GetProperty("python").GetString()!),
                r.GetProperty("unpack_ok").GetBoolean(), r.GetProperty("detail").GetString()!);
        }).ToList();
    }

    public IReadOnlyList<ConformanceResult> Results { get; }

    public ConformanceResult Named(string name) => Results.Single(r => r.Case.Name == name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

/// <summary>One corpus value: BeamDAQ's bytes, Python's bytes, and whether Python read BeamDAQ's bytes back.</summary>
public sealed record ConformanceResult(ConformanceCase Case, byte[] BeamDaqBytes, byte[] PythonBytes, bool PythonUnpackedBeamDaqBytes, string PythonDetail);
