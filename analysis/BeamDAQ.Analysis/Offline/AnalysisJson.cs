using System.Text.Json;
using BeamDAQ.Analysis.Characterization;
using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Offline;

/// <summary>
/// The JSON form of offline results: one object with <c>files</c> (one entry per run file, in the order given)
/// and <c>combined</c> (totals over all files). Names are snake_case; numbers that are not finite are null.
/// </summary>
public static class AnalysisJson
{
    public static void Write(Stream stream, IReadOnlyList<RunFileAnalysis> files, TimeSpan elapsed, Action<Utf8JsonWriter>? extra = null)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("software", SoftwareVersion.Current);
        writer.WriteStartArray("files");
        foreach (var file in files) WriteFile(writer, file);
        writer.WriteEndArray();
        WriteCombined(writer, files, elapsed);
        extra?.Invoke(writer);
        writer.WriteEndObject();
    }

    public static void WriteCombined(Utf8JsonWriter writer, IReadOnlyList<RunFileAnalysis> files, TimeSpan elapsed)
    {
        writer.WriteStartObject("combined");
        writer.WriteNumber("files", files.Count);
        writer.WriteNumber("failed_files", files.Count(f => f.Failure is not null));
        writer.WriteNumber("damaged_files", files.Count(f => f.Failure is null && !f.Intact));
        writer.WriteNumber("damaged_records", files.Sum(f => (long)f.DamagedRecords.Count));
        writer.WriteNumber("bytes", files.Sum(f => f.Length));
        writer.WriteNumber("events", files.Sum(f => f.Counters.Events));
        writer.WriteNumber("missed", files.Sum(f => f.Missed));
        writer.WriteNumber("undecodable_records", files.Sum(f => f.Counters.Undecodable));
        writer.WriteNumber("elapsed_s", elapsed.TotalSeconds);
        writer.WriteEndObject();
    }

    public static void WriteFile(Utf8JsonWriter writer, RunFileAnalysis file)
    {
        writer.WriteStartObject();
        writer.WriteString("path", file.Path);
        if (file.Failure is not null)
        {
            writer.WriteString("failure", file.Failure);
            writer.WriteEndObject();
            return;
        }
        writer.WriteNumber("bytes", file.Length);
        if (file.Run?.Run is { } run) writer.WriteNumber("run", run); else writer.WriteNull("run");
        writer.WriteString("end_state", file.EndState.ToString());
        writer.WriteNumber("end_offset", file.EndOffset);
        writer.WriteString("end_description", file.EndDescription);
        writer.WriteNumber("records", file.Records);
        writer.WriteBoolean("starts_with_run_begin", file.StartsWithRunBegin);
        writer.WriteBoolean("ends_with_run_end", file.EndsWithRunEnd);
        writer.WriteNumber("events", file.Counters.Events);
        writer.WriteNumber("missed", file.Missed);
        writer.WriteNumber("trigger_gaps", file.TriggerGaps);
        writer.WriteNumber("repeated_triggers", file.RepeatedTriggers);
        writer.WriteNumber("undecodable_records", file.Counters.Undecodable);
        writer.WriteStartArray("damaged_records");
        foreach (var damage in file.DamagedRecords)
        {
            writer.WriteStartObject();
            writer.WriteNumber("offset", damage.Offset);
            writer.WriteString("description", damage.Message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("problems");
        foreach (var problem in file.Problems)
        {
            writer.WriteStartObject();
            writer.WriteNumber("offset", problem.Offset);
            writer.WriteString("topic", problem.Topic);
            writer.WriteString("message", problem.Message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        JsonValues.Write(writer, "meta", file.Run?.Meta);
        JsonValues.Write(writer, "run_end", file.RunEnd?.Map);

        writer.WriteStartArray("channels");
        foreach (var spectrum in file.Spectra)
        {
            int index = spectrum.ChannelId - 1;
            writer.WriteStartObject();
            writer.WriteNumber("id", spectrum.ChannelId);
            writer.WriteNumber("amplitudes", spectrum.Amplitudes);
            writer.WriteNumber("over_range", file.Counters.OverRange[index]);
            writer.WriteNumber("no_baseline", file.Counters.NoBaseline[index]);
            writer.WriteNumber("empty_signal_window", file.Counters.EmptySignalWindow[index]);
            writer.WritePropertyName("histogram");
            WriteHistogram(writer, spectrum.Histogram);
            if (spectrum.Fit is { } fit)
            {
                writer.WritePropertyName("fit");
                WriteFit(writer, fit);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        if (file.Noise.Count > 0)
        {
            writer.WriteStartArray("noise");
            foreach (var noise in file.Noise) WriteNoise(writer, noise);
            writer.WriteEndArray();
        }
        writer.WriteNumber("elapsed_s", file.Elapsed.TotalSeconds);
        writer.WriteEndObject();
    }

    public static void WriteHistogram(Utf8JsonWriter writer, Histogram1D histogram)
    {
        writer.WriteStartObject();
        writer.WriteNumber("low_edge", histogram.LowEdge);
        writer.WriteNumber("high_edge", histogram.HighEdge);
        writer.WriteNumber("bin_count", histogram.BinCount);
        writer.WriteStartArray("counts");
        foreach (long c in histogram.Counts) writer.WriteNumberValue(c);
        writer.WriteEndArray();
        writer.WriteNumber("underflow", histogram.Underflow);
        writer.WriteNumber("overflow", histogram.Overflow);
        writer.WriteNumber("entries", histogram.Entries);
        JsonValues.WriteNumber(writer, "mean", histogram.Mean);
        writer.WriteEndObject();
    }

    public static void WriteFit(Utf8JsonWriter writer, SpectrumFitSummary fit)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("converged", fit.Converged);
        JsonValues.WriteNumber(writer, "lambda", fit.Lambda);
        JsonValues.WriteNumber(writer, "lambda_error", fit.LambdaError);
        JsonValues.WriteNumber(writer, "lambda0", fit.ZeroFractionLambda);
        JsonValues.WriteNumber(writer, "lambda0_error", fit.ZeroFractionLambdaError);
        JsonValues.WriteNumber(writer, "chi2", fit.ChiSquare);
        writer.WriteNumber("ndf", fit.DegreesOfFreedom);
        JsonValues.WriteNumber(writer, "p_value", fit.PValue);
        if (fit.Problem is not null) writer.WriteString("problem", fit.Problem);
        if (fit.Details is not null)
        {
            writer.WritePropertyName("details");
            JsonSerializer.Serialize(writer, fit.Details, fit.Details.GetType(), DetailsOptions);
        }
        writer.WriteEndObject();
    }

    private static readonly JsonSerializerOptions DetailsOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void WriteNoise(Utf8JsonWriter writer, ChannelNoise noise, bool spectrum = false)
    {
        writer.WriteStartObject();
        writer.WriteNumber("channel", noise.ChannelId);
        writer.WriteString("region", noise.Region == NoiseRegion.PreTrigger ? "pre-trigger" : "whole-record");
        writer.WriteNumber("events", noise.Events);
        writer.WriteNumber("samples", noise.Samples);
        JsonValues.WriteNumber(writer, "rms_v", noise.Rms);
        JsonValues.WriteNumber(writer, "mean_power_v2", noise.MeanPower);
        JsonValues.WriteNumber(writer, "mean_power_error_v2", noise.MeanPowerError);
        JsonValues.WriteNumber(writer, "pedestal_v", noise.Pedestal);
        JsonValues.WriteNumber(writer, "pedestal_spread_v", noise.PedestalSpread);
        writer.WriteNumber("skipped_records", noise.SkippedRecords);
        if (noise.SkipReason is not null) writer.WriteString("skip_reason", noise.SkipReason);
        if (noise.Spectrum is { } psd)
        {
            writer.WriteStartObject("psd");
            writer.WriteNumber("sample_rate_hz", psd.SampleRate);
            writer.WriteNumber("segment_length", psd.SegmentLength);
            writer.WriteNumber("segments", psd.Segments);
            writer.WriteNumber("resolution_hz", psd.Resolution);
            if (spectrum)
            {
                JsonValues.WriteArray(writer, "frequency_hz", psd.Frequencies);
                JsonValues.WriteArray(writer, "density_v2_per_hz", psd.Density);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }
}
