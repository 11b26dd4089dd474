using System.CommandLine;
using System.Text;
using BeamDAQ.Control.Catalog.Export;
using BeamDAQ.Protocol.Hosting;
using Spectre.Console;

namespace BeamDAQ.Control.Commands;

/// <summary>
/// <c>runs list|show N|export|recover</c>: reading the run catalog (and, for <c>recover</c>, closing runs that a
/// crashed control process left 'running').
/// </summary>
internal static class RunsCommand
{
    public static Command Create(CommandConsole? console = null)
    {
        console ??= CommandConsole.Process;
        var catalog = CatalogCommandSupport.CatalogOption();
        var runs = new Command("runs", "The run catalog: list runs, show one run, export the catalog");
        runs.Add(catalog);
        runs.Add(List(console, catalog));
        runs.Add(Show(console, catalog));
        runs.Add(Export(console, catalog));
        runs.Add(Recover(console, catalog));
        return runs;
    }

    private static Command List(CommandConsole console, Option<string?> catalogOption)
    {
        var last = new Option<int?>("--last") { Description = "Only the last N runs", HelpName = "N" };
        last.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0)
                result.AddError("--last must be a positive number of runs");
        });
        var json = CatalogCommandSupport.JsonOption();
        var command = new Command("list", "One line per run: start, duration, events, missed triggers, λ ± Δλ, exit aperture, state, comment");
        command.Add(last);
        command.Add(json);
        command.SetAction(parse => CatalogCommandSupport.Run(console, () =>
        {
            using var catalog = CatalogCommandSupport.Open(parse, catalogOption, createIfMissing: false);
            var list = catalog.ListRuns(parse.GetValue(last));
            if (parse.GetValue(json))
            {
                WriteJson(console, stream => CatalogJson.WriteRunList(list, stream));
                return ExitCodes.Success;
            }
            if (list.Count == 0)
            {
                console.Out.WriteLine($"no runs yet in {catalog.Location}");
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn(new TableColumn("run").RightAligned());
            table.AddColumn("start (UTC)");
            table.AddColumn(new TableColumn("duration").RightAligned());
            table.AddColumn(new TableColumn("events").RightAligned());
            table.AddColumn(new TableColumn("missed").RightAligned());
            table.AddColumn(new TableColumn("λ ± Δλ").RightAligned());
            table.AddColumn("exit aperture");
            table.AddColumn("state");
            table.AddColumn("comment");
            foreach (var run in list)
                table.AddRow(
                    new Text(run.Run.ToString()), new Text(RunFormat.Time(run.StartUtc)), new Text(RunFormat.Duration(run.Duration)),
                    new Text(RunFormat.Count(run.Events)), new Text(RunFormat.Count(run.MissedTriggers)),
                    new Text(RunFormat.Lambda(run.Lambda, run.LambdaError)), new Text(RunFormat.Aperture(run.ExitCollimator)),
                    new Text(RunFormat.State(run.State)), new Text(RunFormat.FirstLine(run.Comment)));   // Text: never parsed as markup
            console.Ansi.Write(table);
            var known = catalog.KnownRuns();
            console.Out.WriteLine($"{list.Count} of {known?.Count ?? 0} runs in {catalog.Location}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Show(CommandConsole console, Option<string?> catalogOption)
    {
        var number = new Argument<long>("run") { Description = "The run number" };
        var json = CatalogCommandSupport.JsonOption("Write everything about the run as one JSON object");
        var command = new Command("show", "Everything the catalog holds about one run");
        command.Add(number);
        command.Add(json);
        command.SetAction(parse => CatalogCommandSupport.Run(console, () =>
        {
            using var catalog = CatalogCommandSupport.Open(parse, catalogOption, createIfMissing: false);
            var details = catalog.GetRunDetails(parse.GetValue(number));
            if (parse.GetValue(json))
                WriteJson(console, stream => CatalogJson.WriteRunDetails(details, stream));
            else
                RunDetailsView.Write(console.Ansi, details);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Export(CommandConsole console, Option<string?> catalogOption)
    {
        var format = new Option<string>("--format") { Description = "csv: one table; json: the whole catalog", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("csv", "json");
        var table = new Option<string?>("--table") { Description = $"The table to export as CSV: {string.Join(", ", CatalogCsv.Tables)} (default runs)" };
        table.AcceptOnlyFromAmong([.. CatalogCsv.Tables]);
        var output = new Option<string?>("--out") { Description = "Write to this file instead of stdout", HelpName = "FILE" };
        var command = new Command("export", "The catalog as JSON (everything) or CSV (one table)");
        command.Add(format);
        command.Add(table);
        command.Add(output);
        command.SetAction(parse => CatalogCommandSupport.Run(console, () =>
        {
            string chosenFormat = parse.GetValue(format)!;
            string? chosenTable = parse.GetValue(table);
            if (chosenTable is not null && chosenFormat != "csv")
                throw new UsageException("--table applies to --format csv only; the JSON export holds every table");
            using var catalog = CatalogCommandSupport.Open(parse, catalogOption, createIfMissing: false);
            var exportedUtc = SystemClock.Instance.UtcNow;
            void Write(Stream stream)
            {
                if (chosenFormat == "json")
                {
                    CatalogJson.WriteCatalog(catalog, stream, exportedUtc);
                    stream.Write("\n"u8);
                }
                else
                {
                    using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                    CatalogCsv.Write(catalog, chosenTable ?? "runs", writer);
                }
            }

            if (parse.GetValue(output) is { } path)
            {
                // Written next to the target and renamed: a reader never sees half an export.
                string full = Path.GetFullPath(path);
                if (Path.GetDirectoryName(full) is { Length: > 0 } directory)
                    Directory.CreateDirectory(directory);
                string partial = full + ".partial";
                using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write))
                    Write(file);
                File.Move(partial, full, overwrite: true);
                console.Out.WriteLine($"exported {catalog.KnownRuns()?.Count ?? 0} runs from {catalog.Location} as {chosenFormat} to {full}");
            }
            else
            {
                using var stdout = console.OpenOutputStream();
                Write(stdout);
                stdout.Flush();
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Recover(CommandConsole console, Option<string?> catalogOption)
    {
        var number = new Argument<long?>("run") { Description = "Only this run (default: every run whose control process is gone)", Arity = ArgumentArity.ZeroOrOne };
        var force = new Option<bool>("--force") { Description = "Abort the run even if its control process looks alive or runs on another host" };
        var command = new Command("recover", "Mark runs left 'running' by a crashed control process as aborted, with what their files hold");
        command.Add(number);
        command.Add(force);
        command.SetAction(parse => CatalogCommandSupport.Run(console, () =>
        {
            long? run = parse.GetValue(number);
            if (parse.GetValue(force) && run is null)
                throw new UsageException("--force needs a run number: it aborts one run whose control process may still be alive");
            using var catalog = CatalogCommandSupport.Open(parse, catalogOption, createIfMissing: false);
            var recovered = catalog.RecoverInterruptedRuns(run, parse.GetValue(force));
            if (recovered.Count == 0)
                console.Out.WriteLine("no interrupted runs: every 'running' run belongs to a live control process");
            foreach (var r in recovered)
                console.Out.WriteLine($"run {r.Run}: aborted — {r.Reason}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteJson(CommandConsole console, Action<Stream> write)
    {
        using var stdout = console.OpenOutputStream();
        write(stdout);
        stdout.Write("\n"u8);
        stdout.Flush();
    }
}
