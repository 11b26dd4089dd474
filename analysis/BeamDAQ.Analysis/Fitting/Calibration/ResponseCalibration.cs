using System.Text.Json;
using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Fitting.Calibration;

/// <summary>
/// A single-electron response measured by an earlier fit (typically a low-λ calibration run): the response's
/// name, values and covariance of its parameters, and — when that fit had them — pedestal and noise with
/// their covariance to the response. Built from a <see cref="FitResult"/> or read back from the fit's JSON
/// (<c>--fix-response-from</c>).
/// </summary>
public sealed record ResponseCalibration
{
    /// <summary>Below this λ too few bunches see an electron for a fit to measure the response.</summary>
    public const double MinimumLambda = 0.3;
    /// <summary>Above this λ a calibration run's own response is degenerate with its λ.</summary>
    public const double MaximumLambda = 4;

    public required string ResponseName { get; init; }
    public required IReadOnlyList<string> Names { get; init; }
    public required double[] Values { get; init; }
    public required double[][] Covariance { get; init; }
    public string Source { get; init; } = "";

    public bool Has(string name) => Names.Contains(name);

    public double Value(string name) => Values[IndexOf(name)];

    public double CovarianceOf(string a, string b) => Covariance[IndexOf(a)][IndexOf(b)];

    private int IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++) if (Names[i] == name) return i;
        throw new KeyNotFoundException($"calibration {Source} has no parameter '{name}'");
    }

    /// <summary>The response, pedestal and noise of a converged fit.</summary>
    public static ResponseCalibration FromFit(FitResult fit, string source = "fit")
    {
        ArgumentNullException.ThrowIfNull(fit);
        var keep = new List<int>();
        for (int i = 0; i < fit.Parameters.Count; i++)
        {
            string name = fit.Parameters[i].Name;
            if (name is "lambda" or "overdispersion") continue;
            keep.Add(i);
        }
        return new ResponseCalibration
        {
            ResponseName = fit.ResponseName,
            Names = keep.Select(i => fit.Parameters[i].Name).ToArray(),
            Values = keep.Select(i => fit.Parameters[i].Value).ToArray(),
            Covariance = keep.Select(i => keep.Select(j => fit.Covariance[i][j]).ToArray()).ToArray(),
            Source = source,
        };
    }

    /// <summary>Reads a fit's <c>--json</c> output: <c>response.name</c> and <c>covariance.names/matrix</c> with <c>parameters</c>.</summary>
    public static ResponseCalibration FromJsonFile(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"--fix-response-from: file '{path}' does not exist");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}: not valid JSON ({e.Message}); expected the output of 'beamdaq-analysis fit --json'");
        }
        using (document)
        {
            var root = document.RootElement;
            string responseName = RequireString(root, path, "response", "name");
            if (!root.TryGetProperty("converged", out var converged) || converged.ValueKind != JsonValueKind.True)
                throw new UsageException($"{path}: 'converged' is not true; a calibration must come from a converged fit");
            if (!root.TryGetProperty("covariance", out var covariance) || covariance.ValueKind != JsonValueKind.Object)
                throw new UsageException($"{path}: missing object 'covariance' (names, matrix)");
            var names = ReadArray(covariance, path, "covariance.names", "names").Select(e =>
                e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new UsageException($"{path}: covariance.names must hold strings")).ToList();
            var rows = ReadArray(covariance, path, "covariance.matrix", "matrix");
            if (rows.Count != names.Count) throw new UsageException($"{path}: covariance.matrix has {rows.Count} rows for {names.Count} names");
            var matrix = rows.Select((row, i) =>
            {
                if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != names.Count)
                    throw new UsageException($"{path}: covariance.matrix[{i}] must be an array of {names.Count} numbers");
                return row.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble()
                    : throw new UsageException($"{path}: covariance.matrix[{i}] holds a non-number")).ToArray();
            }).ToArray();
            if (!root.TryGetProperty("parameters", out var parameters) || parameters.ValueKind != JsonValueKind.Array)
                throw new UsageException($"{path}: missing array 'parameters'");
            var values = new Dictionary<string, double>();
            foreach (var p in parameters.EnumerateArray())
            {
                if (p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String &&
                    p.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number)
                    values[n.GetString()!] = v.GetDouble();
            }
            var keep = Enumerable.Range(0, names.Count).Where(i => names[i] is not "lambda" and not "overdispersion").ToArray();
            foreach (int i in keep)
                if (!values.ContainsKey(names[i])) throw new UsageException($"{path}: parameters has no value for '{names[i]}'");
            return new ResponseCalibration
            {
                ResponseName = responseName,
                Names = keep.Select(i => names[i]).ToArray(),
                Values = keep.Select(i => values[names[i]]).ToArray(),
                Covariance = keep.Select(i => keep.Select(j => matrix[i][j]).ToArray()).ToArray(),
                Source = path,
            };
        }
    }

    private static string RequireString(JsonElement root, string path, string objectName, string key)
    {
        if (root.TryGetProperty(objectName, out var o) && o.ValueKind == JsonValueKind.Object &&
            o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String)
            return v.GetString()!;
        throw new UsageException($"{path}: missing string '{objectName}.{key}'");
    }

    private static List<JsonElement> ReadArray(JsonElement parent, string path, string label, string key)
    {
        if (parent.TryGetProperty(key, out var a) && a.ValueKind == JsonValueKind.Array) return a.EnumerateArray().ToList();
        throw new UsageException($"{path}: missing array '{label}'");
    }
}
