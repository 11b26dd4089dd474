using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BeamDAQ.Analysis.Characterization;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Protocol.Hosting;
using Serilog;
using Spectre.Console;

namespace BeamDAQ.Analysis.Commands;

/// <summary>
/// <c>noise FILE... [--region pre-trigger|whole-record] [--segment N] [--single-electron-mv X] [--json]</c>:
/// the electronic noise of every channel — RMS, pedestal and its wander, the Welch power spectral density —
/// and, given the single-electron amplitude (or a fit that finds it), the noise in electrons.
/// </summary>
internal static class NoiseCommand
{
    public static Command Create(CommandConsole? console = null, ILogger? logger = null)
    {
        var support = new OfflineCommandSupport();
        var region = RegionOption("pre-trigger");
        var segment = new Option<int>("--segment") { Description = "Welch segment length in samples (Hann window, 50 % overlap)", DefaultValueFactory = _ => 256, HelpName = "N" };
        var singleElectron = new Option<double?>("--single-electron-mv") { Description = "Amplitude of one electron in mV, for the noise in electrons; default: from the multiplicity fit", HelpName = "MV" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (with the full spectra) instead of the table" };

        var command = new Command("noise", "Noise of each channel from the baseline: RMS, pedestal, power spectral density, noise in electrons");
        support.AddTo(command);
        command.Add(region);
        command.Add(segment);
        command.Add(singleElectron);
        command.Add(json);
        support.AddFitOptions(command);

        command.SetAction(parse =>
        {
            console ??= CommandConsole.Process;
            var files = OfflineCommandSupport.CheckFiles(parse.GetValue(support.Files));
            int segmentLength = parse.GetValue(segment);
            if (segmentLength < 8) throw new UsageException($"--segment {segmentLength} is too short; at least 8 samples");
            double? electronMv = parse.GetValue(singleElectron);
            if (electronMv is { } mv && !(mv > 0)) throw new UsageException($"--single-electron-mv {mv} must be positive");
            var options = new OfflineOptions
            {
                Features = support.FeatureSettings(parse),
                FitChannel = parse.GetValue(support.Channel),
                WorkersPerFile = parse.GetValue(support.Threads),
                Noise = ParseRegion(parse.GetValue(region)!),
                NoiseSegmentLength = segmentLength,
            };
            // The fit only runs when it is needed for the single-electron amplitude.
            var fitter = electronMv is null ? support.Fitter(parse) : null;
            var log = logger ?? BeamDaqLogging.Create("beamdaq-analysis");
            var clock = Stopwatch.StartNew();
            var results = OfflineCommandSupport.RunBatch(console, new RunFileBatch(options, fitter, log), files);
            clock.Stop();

            var rows = results.Where(r => r.Failure is null)
                .SelectMany(r => r.Noise.Select(n => (File: r, Noise: n, Snr: SignalToNoiseOf(r, n, electronMv))))
                .ToList();
            if (parse.GetValue(json))
            {
                using var stream = OfflineCommandSupport.OpenJsonOutput(console, "-");
                WriteJson(stream, rows, results, clock.Elapsed);
            }
            else
            {
                WriteTable(console, rows, results);
            }
            return results.Any(r => r.Failure is not null) ? ExitCodes.RuntimeFailure : ExitCodes.Success;
        });
        return command;
    }

    internal static Option<string> RegionOption(string defaultRegion) => new("--region")
    {
        Description = "Samples taken as noise: pre-trigger (the baseline before each pulse) or whole-record (beam-off and noise-source runs)",
        DefaultValueFactory = _ => defaultRegion,
        HelpName = "REGION",
    };

    internal static NoiseRegion ParseRegion(string text) => text.ToLowerInvariant() switch
    {
        "pre-trigger" or "pre" => NoiseRegion.PreTrigger,
        "whole-record" or "record" => NoiseRegion.WholeRecord,
        _ => throw new UsageException($"--region '{text}' is not allowed; use pre-trigger or whole-record"),
    };

    private static SignalToNoise? SignalToNoiseOf(RunFileAnalysis file, ChannelNoise noise, double? electronMv)
    {
        double amplitude = electronMv is { } mv ? mv * 1e-3
            : file.Spectra.FirstOrDefault(s => s.ChannelId == noise.ChannelId)?.Fit?.SingleElectronAmplitude ?? double.NaN;
        return double.IsFinite(amplitude) && amplitude > 0 ? new SignalToNoise(noise.Rms, amplitude) : null;
    }

    /// <summary>The median density above DC: the white-noise level, insensitive to a few lines.</summary>
    internal static double WhiteLevel(PowerSpectralDensity psd)
    {
        var values = psd.Density.Skip(1).Where(double.IsFinite).OrderBy(d => d).ToArray();
        return values.Length == 0 ? double.NaN : values[values.Length / 2];
    }

    private static void WriteTable(CommandConsole console, List<(RunFileAnalysis File, ChannelNoise Noise, SignalToNoise? Snr)> rows, IReadOnlyList<RunFileAnalysis> results)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("file");
        table.AddColumn(new TableColumn("ch").RightAligned());
        table.AddColumn(new TableColumn("events").RightAligned());
        table.AddColumn(new TableColumn("samples/evt").RightAligned());
        table.AddColumn(new TableColumn("RMS (mV)").RightAligned());
        table.AddColumn(new TableColumn("pedestal (mV)").RightAligned());
        table.AddColumn(new TableColumn("pedestal spread (mV)").RightAligned());
        table.AddColumn(new TableColumn("white level (nV/√Hz)").RightAligned());
        table.AddColumn(new TableColumn("peak (kHz)").RightAligned());
        table.AddColumn(new TableColumn("noise (e⁻)").RightAligned());
        table.AddColumn(new TableColumn("SNR(1 e⁻)").RightAligned());
        foreach (var (file, noise, snr) in rows)
        {
            var psd = noise.Spectrum;
            table.AddRow(
                new Text(Path.GetFileName(file.Path)), new Text(noise.ChannelId.ToString(CultureInfo.InvariantCulture)),
                new Text(noise.Events.ToString("N0")),
                new Text(noise.Events > 0 ? (noise.Samples / noise.Events).ToString("N0") : "—"),
                new Text(OfflineCommandSupport.Number(noise.Rms * 1e3, "F4")),
                new Text(OfflineCommandSupport.Number(noise.Pedestal * 1e3, "F3")),
                new Text(OfflineCommandSupport.Number(noise.PedestalSpread * 1e3, "F4")),
                new Text(psd is null ? "—" : OfflineCommandSupport.Number(Math.Sqrt(WhiteLevel(psd)) * 1e9, "F1")),
                new Text(psd is null ? "—" : OfflineCommandSupport.Number(psd.PeakFrequency() / 1e3, "F1")),
                new Text(snr is { } s ? OfflineCommandSupport.Number(s.NoiseInElectrons, "F4") : "—"),
                new Text(snr is { } r ? OfflineCommandSupport.Number(r.Ratio, "F1") : "—"));
        }
        console.Ansi.Write(table);
        OfflineCommandSupport.WriteFileNotes(console, results);
        foreach (var (file, noise, _) in rows)
            if (noise.SkippedRecords > 0)
                console.Out.WriteLine($"{Path.GetFileName(file.Path)} channel {noise.ChannelId}: {noise.SkippedRecords} record(s) left out: {noise.SkipReason}");
    }

    private static void WriteJson(Stream stream, List<(RunFileAnalysis File, ChannelNoise Noise, SignalToNoise? Snr)> rows, IReadOnlyList<RunFileAnalysis> results, TimeSpan elapsed)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("software", SoftwareVersion.Current);
        writer.WriteStartArray("channels");
        foreach (var (file, noise, snr) in rows)
        {
            writer.WriteStartObject();
            writer.WriteString("file", file.Path);
            if (file.Run?.Run is { } run) writer.WriteNumber("run", run);
            writer.WritePropertyName("noise");
            AnalysisJson.WriteNoise(writer, noise, spectrum: true);
            if (noise.Spectrum is { } psd) JsonValues.WriteNumber(writer, "white_level_v2_per_hz", WhiteLevel(psd));
            if (snr is { } s)
            {
                JsonValues.WriteNumber(writer, "single_electron_v", s.SingleElectronAmplitude);
                JsonValues.WriteNumber(writer, "noise_electrons", s.NoiseInElectrons);
                JsonValues.WriteNumber(writer, "snr", s.Ratio);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("files");
        foreach (var r in results)
        {
            writer.WriteStartObject();
            writer.WriteString("path", r.Path);
            if (r.Failure is not null) writer.WriteString("failure", r.Failure);
            else
            {
                writer.WriteString("end_state", r.EndState.ToString());
                writer.WriteNumber("end_offset", r.EndOffset);
                writer.WriteString("end_description", r.EndDescription);
                writer.WriteNumber("events", r.Counters.Events);
                writer.WriteNumber("undecodable_records", r.Counters.Undecodable);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        AnalysisJson.WriteCombined(writer, results, elapsed);
        writer.WriteEndObject();
    }
}
