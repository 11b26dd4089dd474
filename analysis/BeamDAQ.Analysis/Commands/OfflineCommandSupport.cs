using System.CommandLine;
using System.Globalization;
using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Protocol.Hosting;
using Spectre.Console;

namespace BeamDAQ.Analysis.Commands;

/// <summary>The options and the progress display that every command reading run files shares.</summary>
internal sealed class OfflineCommandSupport
{
    public Argument<string[]> Files { get; } = new("FILE") { Description = "Run files (.bdq)", Arity = ArgumentArity.OneOrMore };
    public Option<int?> Channel { get; } = new("--channel") { Description = "Analyse only this channel (1–4); default: every channel, the fit on the lowest", HelpName = "N" };
    public Option<string> Polarity { get; } = new("--polarity") { Description = "Pulse polarity: positive or negative", DefaultValueFactory = _ => "positive" };
    public Option<string?> BaselineWindow { get; } = new("--baseline-window") { Description = "Baseline window START:LENGTH relative to the trigger, in samples or with an ns suffix (clipped to the valid pre-trigger samples); default: all of them", HelpName = "WINDOW" };
    public Option<string?> SignalWindow { get; } = new("--signal-window") { Description = "Peak-search window START:LENGTH[ns] relative to the trigger; default: trigger to end", HelpName = "WINDOW" };
    public Option<string?> IntegralWindow { get; } = new("--integral-window") { Description = "Integration window START:LENGTH[ns]; default: the signal window", HelpName = "WINDOW" };
    public Option<int> Threads { get; } = new("--threads") { Description = "Decoding threads per file; 0 decides from the cores and the number of files", DefaultValueFactory = _ => 0, HelpName = "N" };

    public void AddTo(Command command, bool files = true)
    {
        if (files) command.Add(Files);
        command.Add(Channel);
        command.Add(Polarity);
        command.Add(BaselineWindow);
        command.Add(SignalWindow);
        command.Add(IntegralWindow);
        command.Add(Threads);
    }

    public FeatureSettings FeatureSettings(ParseResult parse)
    {
        string polarityText = parse.GetValue(Polarity) ?? "positive";
        var polarity = polarityText.ToLowerInvariant() switch
        {
            "positive" or "pos" or "+" => Features.Polarity.Positive,
            "negative" or "neg" or "-" => Features.Polarity.Negative,
            _ => throw new UsageException($"--polarity '{polarityText}' is not allowed; use positive or negative"),
        };
        int? channel = parse.GetValue(Channel);
        if (channel is { } id && id is < 1 or > 4)
            throw new UsageException($"--channel {id} is not a digitizer channel; allowed 1–4");
        if (parse.GetValue(Threads) < 0)
            throw new UsageException($"--threads {parse.GetValue(Threads)} must be 0 (automatic) or a positive number");
        return new FeatureSettings
        {
            Polarity = polarity,
            BaselineWindow = Window(parse, BaselineWindow),
            SignalWindow = Window(parse, SignalWindow),
            IntegralWindow = Window(parse, IntegralWindow),
            Channels = channel is { } c ? [c] : null,
        };
    }

    private static SampleWindow? Window(ParseResult parse, Option<string?> option)
    {
        if (parse.GetValue(option) is not { } text) return null;
        if (!SampleWindow.TryParse(text, out var window, out string? error))
            throw new UsageException($"{option.Name}: {error}");
        return window;
    }

    public Option<string?> Response { get; } = new("--response") { Description = SpectrumFitters.ResponseHelp, HelpName = "R" };
    public Option<double?> BeamEnergy { get; } = new("--beam-energy") { Description = "Beam kinetic energy in MeV, for the Landau response (default 2.7)", HelpName = "MEV" };
    public Option<double?> Thickness { get; } = new("--thickness-um") { Description = "Detector thickness in µm, for the Landau response (default 500, diamond)", HelpName = "UM" };

    public void AddFitOptions(Command command)
    {
        command.Add(Response);
        command.Add(BeamEnergy);
        command.Add(Thickness);
    }

    public ISpectrumFitter Fitter(ParseResult parse) =>
        SpectrumFitters.Create(parse.GetValue(Response), parse.GetValue(BeamEnergy), parse.GetValue(Thickness));

    public Option<string?> FixResponseFrom { get; } = new("--fix-response-from")
    {
        Description = "Fix the single-electron response (and, where a spectrum shows no pedestal, pedestal and noise) from a low-λ " +
                      "calibration, propagating its uncertainty into Δλ: a run file (.bdq, its spectrum fitted first with the response free; " +
                      $"λ {Fitting.Calibration.ResponseCalibration.MinimumLambda:G2}–{Fitting.Calibration.ResponseCalibration.MaximumLambda:G2}) or the output of 'fit --json'. Needed from λ ≈ 5 on, where gain and λ are degenerate",
        HelpName = "FILE",
    };

    /// <summary>The fit options plus <c>--fix-response-from</c> (analyze, scan).</summary>
    public void AddCalibratedFitOptions(Command command)
    {
        AddFitOptions(command);
        command.Add(FixResponseFrom);
    }

    /// <summary>The fitter of <see cref="AddCalibratedFitOptions"/>: <see cref="Fitter"/>, with the response fixed when asked.</summary>
    public ISpectrumFitter CalibratedFitter(ParseResult parse, OfflineOptions options)
    {
        var fitter = Fitter(parse);
        if (parse.GetValue(FixResponseFrom) is not { } path) return fitter;
        var multiplicity = (MultiplicitySpectrumFitter)fitter;
        var calibration = CalibrationRun.Load(path, options, multiplicity);
        return new MultiplicitySpectrumFitter(multiplicity.Options with { Calibration = calibration });
    }

    public static IReadOnlyList<string> CheckFiles(IReadOnlyList<string>? files)
    {
        if (files is null || files.Count == 0) throw new UsageException("no run file given");
        return files;
    }

    /// <summary>Runs the batch, with a progress bar on stderr when it is a terminal and the files are large.</summary>
    public static IReadOnlyList<RunFileAnalysis> RunBatch(CommandConsole console, RunFileBatch batch, IReadOnlyList<string> files)
    {
        long total = files.Sum(f => File.Exists(f) ? new FileInfo(f).Length : 0);
        if (!console.ErrorIsTerminal || total < 64L << 20)
            return batch.Analyze(files);

        IReadOnlyList<RunFileAnalysis>? results = null;
        var done = new long[files.Count];
        console.AnsiError.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"analysing {files.Count} file(s)", maxValue: total);
                results = batch.Analyze(files, (index, bytes) =>
                {
                    Interlocked.Exchange(ref done[index], bytes);
                    long sum = 0;
                    for (int i = 0; i < done.Length; i++) sum += Interlocked.Read(ref done[i]);
                    task.Value = sum;
                });
                task.Value = total;
            });
        return results!;
    }

    /// <summary>One line per file that did not read cleanly or had records skipped, for the text output.</summary>
    public static void WriteFileNotes(CommandConsole console, IReadOnlyList<RunFileAnalysis> results)
    {
        foreach (var r in results)
        {
            string name = Path.GetFileName(r.Path);
            if (r.Failure is not null)
            {
                console.Out.WriteLine($"{name}: {r.Failure}");
                continue;
            }
            foreach (var damage in r.DamagedRecords)
                console.Out.WriteLine($"{name}: skipped a damaged record and read on: {damage.Message}");
            if (!r.ReadToCleanEnd)
                console.Out.WriteLine($"{name}: {r.EndState}: {r.EndDescription}; {r.Counters.Events} event(s) before it were analysed");
            else if (!r.EndsWithRunEnd)
                console.Out.WriteLine($"{name}: no run.end record: the run did not end cleanly");
            if (r.Counters.Undecodable > 0)
                console.Out.WriteLine($"{name}: {r.Counters.Undecodable} record(s) could not be decoded and were skipped; first: {r.Problems[0]}");
            if (r.Counters.SinkFailures > 0)
                console.Out.WriteLine($"{name}: {r.Counters.SinkFailures} analysis stage failure(s); see the log");
        }
    }

    public static string EndCell(RunFileAnalysis r) => r.Failure is not null
        ? "failed"
        : r.EndState switch
        {
            Protocol.RunFiles.RunFileEndState.CleanEnd when r.DamagedRecords.Count > 0 => $"{r.DamagedRecords.Count} damaged @ {r.DamagedRecords[0].Offset}",
            Protocol.RunFiles.RunFileEndState.CleanEnd => r.EndsWithRunEnd ? "ok" : "no run.end",
            var state => $"{state} @ {r.EndOffset}",
        };

    public static string Number(double value, string format = "F3") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "—";

    public static Stream OpenJsonOutput(CommandConsole console, string target) =>
        target == "-" ? console.OpenOutputStream() : File.Create(target);
}
