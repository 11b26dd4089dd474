using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BeamDAQ.Analysis.Characterization;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Protocol.Hosting;
using Serilog;
using Spectre.Console;

namespace BeamDAQ.Analysis.Commands;

/// <summary>
/// <c>noise-figure --hot F --cold F --enr-db X [--t-cold K] [--band LOW:HIGH] [--json]</c>: the Y-factor noise
/// figure of each channel from a run with the noise source on (hot) and one with it off (cold). The output noise
/// power is the variance of each record (or the PSD integrated over a band), averaged over the events.
/// </summary>
internal static class NoiseFigureCommand
{
    public static Command Create(CommandConsole? console = null, ILogger? logger = null)
    {
        var support = new OfflineCommandSupport();
        var hot = new Option<string>("--hot") { Description = "Run file taken with the noise source on", Required = true, HelpName = "F" };
        var cold = new Option<string>("--cold") { Description = "Run file taken with the noise source off", Required = true, HelpName = "F" };
        var enr = new Option<double>("--enr-db") { Description = "Excess noise ratio of the source, dB", Required = true, HelpName = "X" };
        var tCold = new Option<double>("--t-cold") { Description = "Temperature of the cold source, K (290 K needs no correction)", DefaultValueFactory = _ => YFactorNoiseFigure.ReferenceTemperature, HelpName = "K" };
        var band = new Option<string?>("--band") { Description = "Measure the power in LOW:HIGH Hz of the noise spectrum instead of the whole bandwidth", HelpName = "LOW:HIGH" };
        var region = NoiseCommand.RegionOption("whole-record");
        var segment = new Option<int>("--segment") { Description = "Welch segment length in samples (for --band)", DefaultValueFactory = _ => 256, HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };

        var command = new Command("noise-figure", "Y-factor noise figure from a hot/cold pair of runs and the noise source's ENR");
        support.AddTo(command, files: false);
        foreach (var option in new Option[] { hot, cold, enr, tCold, band, region, segment, json }) command.Add(option);

        command.SetAction(parse =>
        {
            console ??= CommandConsole.Process;
            double enrDb = parse.GetValue(enr), coldK = parse.GetValue(tCold);
            if (!double.IsFinite(enrDb)) throw new UsageException($"--enr-db {enrDb} must be a finite number of dB");
            if (!(coldK > 0) || !double.IsFinite(coldK)) throw new UsageException($"--t-cold {coldK} must be a positive number of kelvin");
            var (low, high) = ParseBand(parse.GetValue(band));
            int segmentLength = parse.GetValue(segment);
            if (segmentLength < 8) throw new UsageException($"--segment {segmentLength} is too short; at least 8 samples");

            var options = new OfflineOptions
            {
                Features = support.FeatureSettings(parse),
                WorkersPerFile = parse.GetValue(support.Threads),
                Noise = NoiseCommand.ParseRegion(parse.GetValue(region)!),
                NoiseSegmentLength = segmentLength,
            };
            string hotPath = parse.GetValue(hot)!, coldPath = parse.GetValue(cold)!;
            var results = OfflineCommandSupport.RunBatch(console, new RunFileBatch(options, fitter: null, logger ?? BeamDaqLogging.Create("beamdaq-analysis")), [hotPath, coldPath]);
            foreach (var r in results)
                if (r.Failure is not null) throw new IOException(r.Failure);

            var figures = new List<(int Channel, NoiseFigureResult Result)>();
            foreach (var hotNoise in results[0].Noise)
            {
                var coldNoise = results[1].Noise.FirstOrDefault(n => n.ChannelId == hotNoise.ChannelId);
                if (coldNoise is null) continue;
                var (ph, eh) = Power(hotNoise, low, high);
                var (pc, ec) = Power(coldNoise, low, high);
                figures.Add((hotNoise.ChannelId, YFactorNoiseFigure.Compute(ph, pc, enrDb, coldK, eh, ec)));
            }
            if (figures.Count == 0)
                throw new InvalidOperationException($"'{hotPath}' and '{coldPath}' have no channel with noise samples in common");

            if (parse.GetValue(json)) WriteJson(console, figures, hotPath, coldPath, low, high);
            else WriteTable(console, figures, results, low, high);
            return figures.All(f => f.Result.IsValid) ? ExitCodes.Success : ExitCodes.RuntimeFailure;
        });
        return command;
    }

    private static (double Low, double High) ParseBand(string? text)
    {
        if (text is null) return (double.NaN, double.NaN);
        var parts = text.Split(':');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double low)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double high)
            && low >= 0 && high > low)
            return (low, high);
        throw new UsageException($"--band '{text}' is not a band; expected LOW:HIGH in Hz with 0 <= LOW < HIGH, e.g. 1e5:5e6");
    }

    /// <summary>Noise power and its standard error: the mean record variance, or the spectrum over the band.</summary>
    private static (double Power, double Error) Power(ChannelNoise noise, double low, double high)
    {
        double relative = noise.MeanPowerError / noise.MeanPower;
        if (double.IsNaN(low)) return (noise.MeanPower, noise.MeanPowerError);
        if (noise.Spectrum is not { } psd)
            throw new InvalidOperationException($"channel {noise.ChannelId} has no noise spectrum (records shorter than 8 samples?), so --band cannot be used");
        double power = psd.BandPower(low, high);
        if (!(power > 0))
            throw new UsageException($"--band {low}:{high} Hz holds no spectrum bin (bins every {psd.Resolution:G4} Hz up to {psd.SampleRate / 2:G4} Hz)");
        // The band's relative error is taken as that of the record variance: both average the same events.
        return (power, relative * power);
    }

    private static void WriteTable(CommandConsole console, List<(int Channel, NoiseFigureResult Result)> figures, IReadOnlyList<RunFileAnalysis> results, double low, double high)
    {
        string unit = double.IsNaN(low) ? "V²" : "V² in band";
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn(new TableColumn("ch").RightAligned());
        table.AddColumn(new TableColumn($"P cold ({unit})").RightAligned());
        table.AddColumn(new TableColumn($"P hot ({unit})").RightAligned());
        table.AddColumn(new TableColumn("Y (dB)").RightAligned());
        table.AddColumn(new TableColumn("NF (dB)").RightAligned());
        table.AddColumn(new TableColumn("Te (K)").RightAligned());
        foreach (var (channel, r) in figures)
            table.AddRow(
                new Text(channel.ToString(CultureInfo.InvariantCulture)), new Text(r.ColdPower.ToString("G4", CultureInfo.InvariantCulture)),
                new Text(r.HotPower.ToString("G4", CultureInfo.InvariantCulture)), new Text(OfflineCommandSupport.Number(r.YDb, "F3")),
                new Text(r.IsValid ? $"{OfflineCommandSupport.Number(r.NoiseFigureDb, "F3")} ± {OfflineCommandSupport.Number(r.NoiseFigureErrorDb, "F3")}" : "—"),
                new Text(OfflineCommandSupport.Number(r.EquivalentNoiseTemperature, "F1")));
        console.Ansi.Write(table);
        var first = figures[0].Result;
        console.Out.WriteLine($"ENR {first.EnrDb} dB, T_cold {first.ColdTemperature} K{(double.IsNaN(low) ? "" : $", band {low:G4}–{high:G4} Hz")}");
        foreach (var (channel, r) in figures)
            if (!r.IsValid) console.Out.WriteLine($"channel {channel}: {r.Problem}");
        OfflineCommandSupport.WriteFileNotes(console, results);
    }

    private static void WriteJson(CommandConsole console, List<(int Channel, NoiseFigureResult Result)> figures, string hot, string cold, double low, double high)
    {
        using var stream = OfflineCommandSupport.OpenJsonOutput(console, "-");
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("software", SoftwareVersion.Current);
        writer.WriteString("hot", hot);
        writer.WriteString("cold", cold);
        if (!double.IsNaN(low)) { writer.WriteNumber("band_low_hz", low); writer.WriteNumber("band_high_hz", high); }
        writer.WriteStartArray("channels");
        foreach (var (channel, r) in figures)
        {
            writer.WriteStartObject();
            writer.WriteNumber("channel", channel);
            writer.WriteBoolean("valid", r.IsValid);
            if (r.Problem is not null) writer.WriteString("problem", r.Problem);
            JsonValues.WriteNumber(writer, "hot_power", r.HotPower);
            JsonValues.WriteNumber(writer, "cold_power", r.ColdPower);
            JsonValues.WriteNumber(writer, "enr_db", r.EnrDb);
            JsonValues.WriteNumber(writer, "t_cold_k", r.ColdTemperature);
            JsonValues.WriteNumber(writer, "y", r.Y);
            JsonValues.WriteNumber(writer, "y_db", r.YDb);
            JsonValues.WriteNumber(writer, "noise_factor", r.NoiseFactor);
            JsonValues.WriteNumber(writer, "noise_figure_db", r.NoiseFigureDb);
            JsonValues.WriteNumber(writer, "noise_figure_error_db", r.NoiseFigureErrorDb);
            JsonValues.WriteNumber(writer, "te_k", r.EquivalentNoiseTemperature);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
