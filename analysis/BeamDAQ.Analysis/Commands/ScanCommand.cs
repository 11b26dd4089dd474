using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using BeamDAQ.Analysis.Characterization;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Protocol.Hosting;
using Serilog;
using Spectre.Console;

namespace BeamDAQ.Analysis.Commands;

/// <summary>
/// <c>scan FILE... --key KEY [--model linear|threshold-linear|threshold-quadratic] [--json]</c>: λ of every run
/// against a run.begin value (any key path, e.g. <c>meta.exit_aperture_x_mm</c>), fitted with a
/// characterization curve by weighted least squares.
/// </summary>
internal static class ScanCommand
{
    public static Command Create(CommandConsole? console = null, ILogger? logger = null)
    {
        var support = new OfflineCommandSupport();
        var key = new Option<string>("--key") { Description = "run.begin key path of the scanned setting, e.g. meta.exit_aperture_x_mm or config.digitizer.range_v", Required = true, HelpName = "KEY" };
        var model = new Option<string>("--model") { Description = "Curve: linear, threshold-linear (L = a(P−P0) above P0) or threshold-quadratic (L = a(P−P0)²)", DefaultValueFactory = _ => "linear", HelpName = "MODEL" };
        var estimator = new Option<string>("--lambda") { Description = "Which λ to scan: fit (the multiplicity fit) or zero-fraction", DefaultValueFactory = _ => "fit", HelpName = "WHICH" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the tables" };

        var command = new Command("scan", "λ against a run setting from several run files, with a characterization-curve fit");
        support.AddTo(command);
        command.Add(key);
        command.Add(model);
        command.Add(estimator);
        support.AddCalibratedFitOptions(command);
        command.Add(json);

        command.SetAction(parse =>
        {
            console ??= CommandConsole.Process;
            var files = OfflineCommandSupport.CheckFiles(parse.GetValue(support.Files));
            string keyPath = parse.GetValue(key)!;
            string modelText = parse.GetValue(model)!;
            if (!CurveModels.TryParse(modelText, out var curveModel))
                throw new UsageException($"--model '{modelText}' is not allowed; use {string.Join(", ", Enum.GetValues<CurveModel>().Select(m => m.Name()))}");
            string which = parse.GetValue(estimator)!;
            if (which is not ("fit" or "zero-fraction"))
                throw new UsageException($"--lambda '{which}' is not allowed; use fit or zero-fraction");
            var options = new OfflineOptions { Features = support.FeatureSettings(parse), FitChannel = parse.GetValue(support.Channel), WorkersPerFile = parse.GetValue(support.Threads) };
            var fitter = support.CalibratedFitter(parse, options);
            var log = logger ?? BeamDaqLogging.Create("beamdaq-analysis");
            var clock = Stopwatch.StartNew();
            var results = OfflineCommandSupport.RunBatch(console, new RunFileBatch(options, fitter, log), files);

            var scan = Build(results, keyPath, which == "zero-fraction");
            var curve = CurveFitter.Fit(curveModel, scan.Points.Select(p => p.Point).ToList());
            clock.Stop();

            if (parse.GetValue(json))
            {
                using var stream = OfflineCommandSupport.OpenJsonOutput(console, "-");
                WriteJson(stream, keyPath, which, scan, curve, results, clock.Elapsed);
            }
            else
            {
                WriteTables(console, keyPath, scan, curve, results);
            }
            return curve.IsValid && results.All(r => r.Failure is null) ? ExitCodes.Success : ExitCodes.RuntimeFailure;
        });
        return command;
    }

    internal sealed record ScanPoint(RunFileAnalysis File, CurvePoint Point);

    internal sealed record Scan(List<ScanPoint> Points, List<string> Excluded);

    /// <summary>One point per file that has the key and a λ; every other file is listed with the reason.</summary>
    internal static Scan Build(IReadOnlyList<RunFileAnalysis> results, string keyPath, bool zeroFraction)
    {
        var points = new List<ScanPoint>();
        var excluded = new List<string>();
        foreach (var r in results)
        {
            string name = Path.GetFileName(r.Path);
            if (r.Failure is not null) { excluded.Add($"{name}: {r.Failure}"); continue; }
            if (r.Run is null) { excluded.Add($"{name}: no run.begin record, so no '{keyPath}'"); continue; }
            if (!r.Run.TryGetNumber(keyPath, out double x))
            {
                excluded.Add(r.Run.TryGet(keyPath, out var raw)
                    ? $"{name}: '{keyPath}' = {raw} is not a number"
                    : $"{name}: run.begin has no '{keyPath}'");
                continue;
            }
            var fit = r.FittedSpectrum?.Fit;
            if (fit is null) { excluded.Add($"{name}: no amplitude spectrum was fitted"); continue; }
            double y = zeroFraction ? fit.ZeroFractionLambda : fit.Lambda;
            double error = zeroFraction ? fit.ZeroFractionLambdaError : fit.LambdaError;
            if (!zeroFraction && !fit.Converged) { excluded.Add($"{name}: the fit did not converge ({fit.Problem})"); continue; }
            if (!double.IsFinite(y) || !(error > 0)) { excluded.Add($"{name}: λ = {y} ± {error} cannot be used"); continue; }
            points.Add(new ScanPoint(r, new CurvePoint(x, y, error, name)));
        }
        points.Sort((a, b) => a.Point.X.CompareTo(b.Point.X));
        return new Scan(points, excluded);
    }

    private static void WriteTables(CommandConsole console, string keyPath, Scan scan, CurveFitResult curve, IReadOnlyList<RunFileAnalysis> results)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("file");
        table.AddColumn(new TableColumn("run").RightAligned());
        table.AddColumn(new TableColumn(keyPath).RightAligned());
        table.AddColumn(new TableColumn("events").RightAligned());
        table.AddColumn(new TableColumn("λ ± Δλ").RightAligned());
        table.AddColumn(new TableColumn("model").RightAligned());
        table.AddColumn(new TableColumn("pull").RightAligned());
        foreach (var (file, p) in scan.Points)
        {
            double model = curve.IsValid || curve.Values.All(double.IsFinite) ? curve.Evaluate(p.X) : double.NaN;
            table.AddRow(
                new Text(Path.GetFileName(file.Path)), new Text(file.Run?.Run?.ToString() ?? "—"), new Text(OfflineCommandSupport.Number(p.X, "G6")),
                new Text(file.Counters.Events.ToString("N0")), new Text($"{OfflineCommandSupport.Number(p.Y)} ± {OfflineCommandSupport.Number(p.YError)}"),
                new Text(OfflineCommandSupport.Number(model)), new Text(OfflineCommandSupport.Number((p.Y - model) / p.YError, "F2")));
        }
        console.Ansi.Write(table);
        foreach (string note in scan.Excluded) console.Out.WriteLine($"excluded {note}");
        OfflineCommandSupport.WriteFileNotes(console, results.Where(r => r.Failure is null).ToList());

        console.Out.WriteLine();
        console.Out.WriteLine($"{curve.Model.Name()} fit of λ against {keyPath}, {curve.Points} point(s):");
        if (!curve.IsValid) console.Out.WriteLine($"  fit failed: {curve.Problem}");
        for (int i = 0; i < 2; i++)
            console.Out.WriteLine($"  {curve.ParameterNames[i],-3} = {OfflineCommandSupport.Number(curve.Values[i], "G6")} ± {OfflineCommandSupport.Number(curve.Errors[i], "G3")}");
        console.Out.WriteLine($"  χ²/ndf = {OfflineCommandSupport.Number(curve.ChiSquare, "F2")}/{curve.DegreesOfFreedom}, p = {OfflineCommandSupport.Number(curve.PValue, "F3")}, correlation {OfflineCommandSupport.Number(curve.Correlation, "F3")}");
    }

    private static void WriteJson(Stream stream, string keyPath, string which, Scan scan, CurveFitResult curve, IReadOnlyList<RunFileAnalysis> results, TimeSpan elapsed)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("software", SoftwareVersion.Current);
        writer.WriteString("key", keyPath);
        writer.WriteString("lambda", which);
        writer.WriteStartArray("points");
        foreach (var (file, p) in scan.Points)
        {
            writer.WriteStartObject();
            writer.WriteString("file", file.Path);
            if (file.Run?.Run is { } run) writer.WriteNumber("run", run);
            JsonValues.WriteNumber(writer, "x", p.X);
            JsonValues.WriteNumber(writer, "lambda", p.Y);
            JsonValues.WriteNumber(writer, "lambda_error", p.YError);
            writer.WriteNumber("events", file.Counters.Events);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("excluded");
        foreach (string note in scan.Excluded) writer.WriteStringValue(note);
        writer.WriteEndArray();
        writer.WritePropertyName("fit");
        WriteCurve(writer, curve);
        AnalysisJson.WriteCombined(writer, results, elapsed);
        writer.WriteEndObject();
    }

    internal static void WriteCurve(Utf8JsonWriter writer, CurveFitResult curve)
    {
        writer.WriteStartObject();
        writer.WriteString("model", curve.Model.Name());
        writer.WriteBoolean("valid", curve.IsValid);
        if (curve.Problem is not null) writer.WriteString("problem", curve.Problem);
        writer.WriteStartObject("parameters");
        for (int i = 0; i < 2; i++)
        {
            writer.WriteStartObject(curve.ParameterNames[i]);
            JsonValues.WriteNumber(writer, "value", curve.Values[i]);
            JsonValues.WriteNumber(writer, "error", curve.Errors[i]);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteStartArray("covariance");
        for (int i = 0; i < 2; i++)
        {
            writer.WriteStartArray();
            for (int j = 0; j < 2; j++) JsonValues.WriteNumber(writer, curve.Covariance[i, j]);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        JsonValues.WriteNumber(writer, "chi2", curve.ChiSquare);
        writer.WriteNumber("ndf", curve.DegreesOfFreedom);
        JsonValues.WriteNumber(writer, "p_value", curve.PValue);
        writer.WriteNumber("points", curve.Points);
        writer.WriteEndObject();
    }
}
