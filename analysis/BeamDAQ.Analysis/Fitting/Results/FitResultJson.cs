using System.Text;
using System.Text.Json;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Fitting.Results;

/// <summary>
/// The JSON form of a fit (<c>beamdaq-analysis fit --json</c>): one object with λ and its errors and
/// interval, the cross-checks, gain/pedestal/noise, goodness of fit, status and warnings, every parameter,
/// the covariance (so the output can be passed back as <c>--fix-response-from</c>) and, when the fit kept
/// them, the histogram with expected counts and per-multiplicity components for plots. Non-finite numbers
/// are written as null.
/// </summary>
public static class FitResultJson
{
    public static string ToJson(FitResult result, Action<Utf8JsonWriter>? extra = null, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartObject();
            WriteMembers(writer, result);
            extra?.Invoke(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the members of <paramref name="r"/> into an object that is already open.</summary>
    public static void WriteMembers(Utf8JsonWriter w, FitResult r)
    {
        Number(w, "lambda", r.Lambda);
        Number(w, "lambda_error", r.LambdaError);
        Number(w, "lambda_error_statistical", r.LambdaErrorStatistical);
        Number(w, "lambda_error_calibration", r.LambdaErrorCalibration);
        w.WriteStartArray("lambda_interval");
        NumberValue(w, r.LambdaLower);
        NumberValue(w, r.LambdaUpper);
        w.WriteEndArray();
        w.WriteBoolean("lambda_interval_profiled", r.LambdaIntervalFound);
        Number(w, "lambda_zero", r.ZeroFraction.Lambda);
        Number(w, "lambda_zero_error", r.ZeroFraction.Error);
        Number(w, "lambda_zero_cut", r.ZeroFraction.Cut);
        w.WriteNumber("lambda_zero_below_cut", r.ZeroFraction.BelowCut);
        Number(w, "lambda_zero_model", r.ZeroFraction.ModelExpectation);
        Number(w, "lambda_mean", r.MeanMethod?.Lambda);
        Number(w, "lambda_mean_error", r.MeanMethod?.Error);
        Number(w, "single_electron_mean", r.MeanMethod?.SingleElectronMean);
        if (r.Parameters.Count > 0)
        {
            w.WriteString("gain_name", r.Gain.Name);
            Number(w, "gain", r.Gain.Value);
            Number(w, "gain_error", r.Gain.Error);
            w.WriteString("gain_unit", r.GainUnit);
            Number(w, "pedestal", r.Pedestal.Value);
            Number(w, "pedestal_error", r.Pedestal.Error);
            Number(w, "noise", r.Noise.Value);
            Number(w, "noise_error", r.Noise.Error);
        }
        Number(w, "chi2", r.Goodness.Chi2);
        w.WriteNumber("ndf", r.Goodness.Ndf);
        Number(w, "p_value", r.Goodness.PValue);
        Number(w, "deviance", r.Goodness.Deviance);
        w.WriteNumber("bins", r.Goodness.Bins);
        w.WriteNumber("merged_bins", r.Goodness.MergedBins);
        w.WriteBoolean("converged", r.Converged);
        w.WriteString("status", r.Status.ToString());
        w.WriteString("status_reason", r.StatusReason);
        w.WriteNumber("n_events", r.Events);
        w.WriteString("model", r.Model);
        w.WriteString("unit", r.AmplitudeUnit);
        Strings(w, "warnings", r.Warnings);
        Strings(w, "notes", r.Notes);
        if (r.OverDispersion is { } od)
        {
            w.WriteStartObject("overdispersion_test");
            Number(w, "deviance_reduction", od.DevianceReduction);
            Number(w, "significance", od.Significance);
            w.WriteEndObject();
        }

        w.WriteStartObject("response");
        w.WriteString("name", r.ResponseName);
        w.WriteStartObject("parameters");
        foreach (var p in r.Parameters.Where(p => p.Name is not ("lambda" or "pedestal" or "noise" or "overdispersion")))
        {
            w.WriteStartObject(p.Name);
            Number(w, "value", p.Value);
            Number(w, "error", p.Error);
            w.WriteString("source", Source(p.Source));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("parameters");
        foreach (var p in r.Parameters)
        {
            w.WriteStartObject();
            w.WriteString("name", p.Name);
            Number(w, "value", p.Value);
            Number(w, "error", p.Error);
            w.WriteString("source", Source(p.Source));
            w.WriteString("description", p.Description);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartObject("covariance");
        Strings(w, "names", r.Parameters.Select(p => p.Name).ToArray());
        w.WriteStartArray("matrix");
        foreach (var row in r.Covariance)
        {
            w.WriteStartArray();
            foreach (double v in row) NumberValue(w, v);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteString("minimizer", r.Minimizer);
        w.WriteNumber("iterations", r.Iterations);
        w.WriteNumber("evaluations", r.Evaluations);
        Number(w, "elapsed_ms", r.ElapsedMilliseconds);
        w.WriteString("software", SoftwareVersion.Current);

        if (r.Histogram is { } h)
        {
            w.WriteStartObject("histogram");
            Number(w, "low_edge", h.LowEdge);
            Number(w, "high_edge", h.HighEdge);
            w.WriteNumber("bin_count", h.BinCount);
            w.WriteStartArray("counts");
            foreach (long c in h.Counts) w.WriteNumberValue(c);
            w.WriteEndArray();
            w.WriteNumber("underflow", h.Underflow);
            w.WriteNumber("overflow", h.Overflow);
            w.WriteEndObject();
        }
        if (r.Expected is { } expected)
        {
            w.WriteStartArray("expected");
            foreach (double v in expected) NumberValue(w, v);
            w.WriteEndArray();
        }
        if (r.Components is { } components)
        {
            w.WriteStartArray("components");
            foreach (var component in components)
            {
                w.WriteStartArray();
                foreach (double v in component) NumberValue(w, v);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
    }

    private static string Source(ParameterSource source) => source == ParameterSource.Fitted ? "fitted" : "calibration";

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        w.WritePropertyName(name);
        NumberValue(w, value);
    }

    private static void NumberValue(Utf8JsonWriter w, double? value)
    {
        if (value is double v && double.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteNullValue();
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
