using System.CommandLine;
using System.Diagnostics;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Protocol.Hosting;
using Serilog;
using Spectre.Console;

namespace BeamDAQ.Analysis.Commands;

/// <summary>
/// <c>analyze FILE... [--json F] [--channel N] [--response R] [--meta KEY]... [--report F]</c>: every run file
/// through the same pipeline as the live monitor (features, amplitude spectra, multiplicity fit), all files in
/// parallel, one table of results. Damaged files are reported with their end state and offset and analysed up
/// to the damage; a file that cannot be opened fails alone (exit code 1), never the others.
/// </summary>
internal static class AnalyzeCommand
{
    /// <summary>The run.begin keys shown by default when the files carry them: the exit collimator's aperture.</summary>
    public static readonly string[] DefaultMetaColumns = ["meta.exit_aperture_x_mm", "meta.exit_aperture_y_mm"];

    public static Command Create(CommandConsole? console = null, IAnalysisReportWriter? report = null, ILogger? logger = null)
    {
        var support = new OfflineCommandSupport();
        var json = new Option<string?>("--json") { Description = "Also write the results as one JSON object to F ('-' for stdout, instead of the table)", HelpName = "F" };
        var meta = new Option<string[]>("--meta") { Description = "Add a column with this run.begin key path (e.g. meta.beam_energy_mev); repeatable", HelpName = "KEY", AllowMultipleArgumentsPerToken = false };
        var reportOption = new Option<string?>("--report") { Description = "Write a report of the results to F", HelpName = "F" };

        var command = new Command("analyze", "Analyse run files: features, amplitude spectra, multiplicity fit; one table of results");
        support.AddTo(command);
        command.Add(json);
        support.AddCalibratedFitOptions(command);
        command.Add(meta);
        if (report is not null) command.Add(reportOption);

        command.SetAction(parse =>
        {
            console ??= CommandConsole.Process;
            var files = OfflineCommandSupport.CheckFiles(parse.GetValue(support.Files));
            var options = new OfflineOptions
            {
                Features = support.FeatureSettings(parse),
                FitChannel = parse.GetValue(support.Channel),
                WorkersPerFile = parse.GetValue(support.Threads),
            };
            var fitter = support.CalibratedFitter(parse, options);
            string? reportPath = report is not null ? parse.GetValue(reportOption) : null;
            if (reportPath is not null)
            {
                // A report draws the fitted model's components and the noise spectrum: ask the analysis for both.
                options = options with { Noise = options.Noise ?? Characterization.NoiseRegion.PreTrigger };
                if (fitter is MultiplicitySpectrumFitter multiplicity)
                    fitter = new MultiplicitySpectrumFitter(multiplicity.Options with { IncludeSpectrum = true });
            }
            var log = logger ?? BeamDaqLogging.Create("beamdaq-analysis");

            var clock = Stopwatch.StartNew();
            var results = OfflineCommandSupport.RunBatch(console, new RunFileBatch(options, fitter, log), files);
            clock.Stop();
            log.Information("Analysed {Files} file(s), {Events} events in {Seconds:F2} s", results.Count, results.Sum(r => r.Counters.Events), clock.Elapsed.TotalSeconds);

            string? jsonTarget = parse.GetValue(json);
            if (jsonTarget is not null)
            {
                using var stream = OfflineCommandSupport.OpenJsonOutput(console, jsonTarget);
                AnalysisJson.Write(stream, results, clock.Elapsed);
            }
            if (jsonTarget != "-")
            {
                var metaKeys = (parse.GetValue(meta) ?? []).ToList();
                WriteTable(console, results, metaKeys, clock.Elapsed);
            }
            if (report is not null && reportPath is not null)
                report.Write(reportPath, results, fitter);
            return results.Any(r => r.Failure is not null) ? ExitCodes.RuntimeFailure : ExitCodes.Success;
        });
        return command;
    }

    private static void WriteTable(CommandConsole console, IReadOnlyList<RunFileAnalysis> results, List<string> metaKeys, TimeSpan elapsed)
    {
        bool showAperture = results.Any(r => r.Run is { } run && DefaultMetaColumns.Any(k => run.TryGet(k, out _)));
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("file");
        table.AddColumn(new TableColumn("run").RightAligned());
        table.AddColumn(new TableColumn("events").RightAligned());
        table.AddColumn(new TableColumn("missed").RightAligned());
        table.AddColumn(new TableColumn("skipped").RightAligned());
        table.AddColumn("end");
        table.AddColumn(new TableColumn("ch").RightAligned());
        table.AddColumn(new TableColumn("λ ± Δλ").RightAligned());
        table.AddColumn(new TableColumn("λ0").RightAligned());
        table.AddColumn(new TableColumn("χ²/ndf").RightAligned());
        if (showAperture) table.AddColumn("exit aperture (mm)");
        foreach (string key in metaKeys) table.AddColumn(key);

        foreach (var r in results)
        {
            var spectrum = r.FittedSpectrum ?? r.Spectra.FirstOrDefault();
            var fit = spectrum?.Fit;
            var cells = new List<string>
            {
                Path.GetFileName(r.Path),
                r.Run?.Run?.ToString() ?? "—",
                r.Counters.Events.ToString("N0"),
                r.Failure is null ? r.Missed.ToString("N0") : "—",
                r.SkippedRecords.ToString("N0"),
                OfflineCommandSupport.EndCell(r),
                spectrum?.ChannelId.ToString() ?? "—",
                fit is null ? "—" : fit.Converged ? $"{OfflineCommandSupport.Number(fit.Lambda)} ± {OfflineCommandSupport.Number(fit.LambdaError)}" : "no fit",
                fit is null ? "—" : OfflineCommandSupport.Number(fit.ZeroFractionLambda),
                fit is null ? "—" : $"{OfflineCommandSupport.Number(fit.ChiSquare, "F1")}/{fit.DegreesOfFreedom}",
            };
            if (showAperture) cells.Add(Aperture(r.Run));
            foreach (string key in metaKeys)
                cells.Add(r.Run is { } run && run.TryGet(key, out var value) ? MapValues.Format(value) : "—");
            table.AddRow(cells.Select(c => new Text(c)).ToArray());   // Text: file names are never parsed as markup
        }
        console.Ansi.Write(table);
        OfflineCommandSupport.WriteFileNotes(console, results);
        foreach (var r in results)
            if (r.FittedSpectrum?.Fit is { Converged: false, Problem: { } problem })
                console.Out.WriteLine($"{Path.GetFileName(r.Path)}: fit did not converge: {problem}");
        long bytes = results.Sum(r => r.Length);
        console.Out.WriteLine($"{results.Count} file(s), {results.Sum(r => r.Counters.Events):N0} events, {bytes / 1e6:F1} MB in {elapsed.TotalSeconds:F2} s ({bytes / 1e6 / Math.Max(elapsed.TotalSeconds, 1e-9):F0} MB/s)");
    }

    private static string Aperture(RunInfo? run)
    {
        if (run is null) return "—";
        string x = run.TryGet(DefaultMetaColumns[0], out var vx) ? MapValues.Format(vx) : "?";
        string y = run.TryGet(DefaultMetaColumns[1], out var vy) ? MapValues.Format(vy) : "?";
        return $"{x} × {y}";
    }
}
