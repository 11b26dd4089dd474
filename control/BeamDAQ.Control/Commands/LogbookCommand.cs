using System.CommandLine;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Protocol.Hosting;
using Spectre.Console;

namespace BeamDAQ.Control.Commands;

/// <summary><c>logbook add TEXT [--run N] [--author A]</c> and <c>logbook list [--run N]</c>: the shift's free-text log.</summary>
internal static class LogbookCommand
{
    public static Command Create(CommandConsole? console = null, IClock? clock = null)
    {
        console ??= CommandConsole.Process;
        clock ??= SystemClock.Instance;
        var catalog = CatalogCommandSupport.CatalogOption();
        var logbook = new Command("logbook", "The shift logbook in the run catalog");
        logbook.Add(catalog);
        logbook.Add(Add(console, clock, catalog));
        logbook.Add(List(console, catalog));
        return logbook;
    }

    private static Command Add(CommandConsole console, IClock clock, Option<string?> catalogOption)
    {
        var text = new Argument<string[]>("text") { Description = "The entry (several words are joined with spaces)", Arity = ArgumentArity.OneOrMore };
        var run = new Option<long?>("--run") { Description = "The run the entry is about", HelpName = "N" };
        var author = new Option<string?>("--author") { Description = "Who writes (default: the login name)", HelpName = "A" };
        var command = new Command("add", "Add an entry (stored exactly as written)");
        command.Add(text);
        command.Add(run);
        command.Add(author);
        command.SetAction(parse => CatalogCommandSupport.Run(console, () =>
        {
            string entryText = string.Join(' ', parse.GetValue(text) ?? []);
            if (string.IsNullOrWhiteSpace(entryText))
                throw new UsageException("the logbook entry is empty; write some text");
            string who = parse.GetValue(author) is { Length: > 0 } a ? a : Environment.UserName;
            using var catalog = CatalogCommandSupport.Open(parse, catalogOption, createIfMissing: true);
            long? about = parse.GetValue(run);
            long id = catalog.AddLogbookEntry(new LogbookEntry(clock.UtcNow, who, entryText, about));
            console.Out.WriteLine(about is { } r
                ? $"logbook entry {id} added for run {r} by {who}"
                : $"logbook entry {id} added by {who}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List(CommandConsole console, Option<string?> catalogOption)
    {
        var run = new Option<long?>("--run") { Description = "Only entries about this run", HelpName = "N" };
        var command = new Command("list", "The logbook, oldest entry first");
        command.Add(run);
        command.SetAction(parse => CatalogCommandSupport.Run(console, () =>
        {
            using var catalog = CatalogCommandSupport.Open(parse, catalogOption, createIfMissing: false);
            var entries = parse.GetValue(run) is { } r
                ? (catalog.GetRun(r) is { } ? catalog.GetLogbook(r) : [])
                : catalog.GetLogbook();
            if (entries.Count == 0)
            {
                console.Out.WriteLine("the logbook is empty");
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn(new TableColumn("#").RightAligned());
            table.AddColumn("t (UTC)");
            table.AddColumn("author");
            table.AddColumn(new TableColumn("run").RightAligned());
            table.AddColumn("text");
            foreach (var e in entries)
                table.AddRow(new Text(e.Id.ToString()), new Text(RunFormat.Time(e.TimeUtc)), new Text(e.Author),
                    new Text(e.Run?.ToString() ?? ""), new Text(e.Text));
            console.Ansi.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }
}
