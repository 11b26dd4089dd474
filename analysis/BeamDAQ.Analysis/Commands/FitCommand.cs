using System.CommandLine;
using System.Globalization;
using BeamDAQ.Analysis.Fitting;
using BeamDAQ.Analysis.Fitting.Calibration;
using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Spectrum;
using BeamDAQ.Analysis.Spectrum.Responses;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Commands;

/// <summary>
/// <c>fit --amplitudes CSV [--unit V|mV] [--response R] [--beam-energy MEV] [--thickness-um UM]
/// [--fix-response-from JSON] [--json]</c>: the multiplicity fit of one amplitude spectrum (DESIGN §6, §9).
/// Amplitudes are binned automatically and reported in mV. Exit 0 when the fit converged, 1 when it did not
/// (the result is still printed), 2 for bad usage or a bad input line.
/// </summary>
internal static class FitCommand
{
    public static Command Create(CommandConsole? console = null)
    {
        var amplitudes = new Option<string>("--amplitudes") { Description = "Per-bunch amplitudes, one number per line", HelpName = "CSV", Required = true };
        var unit = new Option<string>("--unit") { Description = "Unit of the amplitudes in the file: V or mV (default V)", HelpName = "V|mV", DefaultValueFactory = _ => "V" };
        var response = new Option<string>("--response") { Description = "Single-electron response: " + ResponseCatalog.Allowed + " (default landau: truncated at the beam's kinetic energy)", HelpName = "R", DefaultValueFactory = _ => "landau" };
        var beamEnergy = new Option<double>("--beam-energy") { Description = "Beam kinetic energy in MeV, for the Landau truncation (default 2.7)", HelpName = "MEV", DefaultValueFactory = _ => 2.7 };
        var thickness = new Option<double>("--thickness-um") { Description = "Diamond detector thickness in µm, for the Landau–Vavilov most probable value (default 500)", HelpName = "UM", DefaultValueFactory = _ => 500 };
        var fixFrom = new Option<string?>("--fix-response-from") { Description = "Fix the single-electron response from an earlier fit's --json output and propagate its covariance", HelpName = "JSON" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (usable as --fix-response-from) instead of the summary" };
        var overDispersion = new Option<bool>("--over-dispersion") { Description = "Also fit a negative-binomial multiplicity and test it against Poisson" };
        var cut = new Option<double?>("--pedestal-cut") { Description = "Zero-fraction cut in mV (default pedestal + 3 noise sigma)", HelpName = "MV" };
        var binWidth = new Option<double?>("--bin-width") { Description = "Histogram bin width in mV (default: 1/16 of the single-electron scale)", HelpName = "MV" };

        var command = new Command("fit", "Fit the electron multiplicity (λ) of an amplitude spectrum");
        foreach (var option in new Option[] { amplitudes, unit, response, beamEnergy, thickness, fixFrom, json, overDispersion, cut, binWidth })
            command.Add(option);

        command.SetAction(parse =>
        {
            console ??= CommandConsole.Process;
            string path = parse.GetValue(amplitudes)!;
            string unitName = parse.GetValue(unit)!;
            double scale = unitName switch
            {
                "V" => 1000,
                "mV" => 1,
                _ => throw new UsageException($"--unit '{unitName}' is not allowed; use V or mV"),
            };
            var physics = new LandauVavilov(KineticEnergyMeV: parse.GetValue(beamEnergy), ThicknessUm: parse.GetValue(thickness));
            var singleElectron = ResponseCatalog.Create(parse.GetValue(response)!, physics);
            ResponseCalibration? calibration = null;
            if (parse.GetValue(fixFrom) is { } calibrationPath)
            {
                calibration = ResponseCalibration.FromJsonFile(calibrationPath);
                if (calibration.ResponseName != singleElectron.Name)
                    throw new UsageException($"--fix-response-from {calibrationPath}: it is a fit with response '{calibration.ResponseName}', this fit uses '{singleElectron.Name}' (pass --response {calibration.ResponseName})");
            }
            var values = AmplitudeCsv.Read(path, scale, unitName == "V" ? "volts with --unit V, e.g. 0.0123" : "millivolts with --unit mV, e.g. 12.3");

            Histogram1D histogram;
            if (parse.GetValue(binWidth) is double width)
            {
                if (!(width > 0) || !double.IsFinite(width)) throw new UsageException($"--bin-width {width} must be a positive number of mV");
                var fixedWidth = SpectrumBinning.WithWidth(values, width);
                if (fixedWidth.BinCount > 100_000) throw new UsageException($"--bin-width {width} gives {fixedWidth.BinCount} bins; at most 100000 are allowed");
                histogram = fixedWidth.CreateHistogram();
            }
            else
            {
                // With a calibration the single-electron scale is known: tie the bins to it.
                double? scaleHint = calibration is null ? null : singleElectron.Moments(singleElectron.Parameters.Select(p => calibration.Value(p.Name)).ToArray()).Mean;
                histogram = SpectrumBinning.Choose(values, scaleHint is double s && double.IsFinite(s) ? s : null).CreateHistogram();
            }
            histogram.FillMany(values);

            var options = new FitOptions
            {
                Response = singleElectron,
                OverDispersion = parse.GetValue(overDispersion),
                Calibration = calibration,
                PedestalCut = parse.GetValue(cut),
                AmplitudeUnit = "mV",
                IncludeSpectrum = true,
            };
            FitResult result;
            try
            {
                result = SpectrumFitter.Fit(histogram, options);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            if (parse.GetValue(json))
            {
                console.Out.WriteLine(FitResultJson.ToJson(result, w =>
                {
                    w.WriteString("amplitudes", path);
                    if (singleElectron is TruncatedLandauResponse truncated)
                    {
                        w.WriteNumber("cap_in_mpv", truncated.CapInMostProbable);
                        w.WriteNumber("beam_energy_mev", physics.KineticEnergyMeV);
                        w.WriteNumber("thickness_um", physics.ThicknessUm);
                    }
                    if (calibration is not null) w.WriteString("calibration", calibration.Source);
                }));
            }
            else
            {
                WriteSummary(console.Out, path, histogram, result, calibration);
            }
            return result.Converged ? ExitCodes.Success : ExitCodes.RuntimeFailure;
        });
        return command;
    }

    private static void WriteSummary(TextWriter o, string path, Histogram1D h, FitResult r, ResponseCalibration? calibration)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(c, $"fit of {path}: {r.Events} bunches, {h.BinCount} bins of {h.BinWidth:G4} mV from {h.LowEdge:G4} mV, model {r.Model}"));
        if (calibration is not null) o.WriteLine($"  response fixed from {calibration.Source}");
        if (r.Status == FitStatus.Failed)
        {
            o.WriteLine($"  FAILED: {r.StatusReason}");
            return;
        }
        o.WriteLine(string.Create(c, $"  λ  = {r.Lambda:F4} ± {r.LambdaError:F4}  (statistical {r.LambdaErrorStatistical:F4}, calibration {r.LambdaErrorCalibration:F4});  68 % interval [{r.LambdaLower:F4}, {r.LambdaUpper:F4}]{(r.LambdaIntervalFound ? " (profile likelihood)" : "")}"));
        var z = r.ZeroFraction;
        o.WriteLine(z.Lambda is double l0
            ? string.Create(c, $"  λ0 = {l0:F4} ± {z.Error:F4}  ({z.BelowCut} of {z.Events} below {z.Cut:F2} mV; the model expects {z.ModelExpectation:F4})")
            : string.Create(c, $"  λ0 undefined: {z.BelowCut} of {z.Events} bunches below {z.Cut:F2} mV"));
        if (r.MeanMethod is { Lambda: double lm } mean)
            o.WriteLine(string.Create(c, $"  mean method λ = {lm:F4} ± {mean.Error:F4}  (mean {mean.MeanAmplitude:F3} mV, one electron {mean.SingleElectronMean:F3} mV)"));
        foreach (var p in r.Parameters.Where(p => p.Name != "lambda"))
            o.WriteLine(string.Create(c, $"  {p.Name,-15} = {p.Value,12:G6} ± {p.Error:G3}{(p.Source == ParameterSource.Calibration ? "  (calibration)" : "")}"));
        o.WriteLine(string.Create(c, $"  χ²/ndf = {r.Goodness.Chi2:F1}/{r.Goodness.Ndf}, p = {r.Goodness.PValue:G3}  (deviance {r.Goodness.Deviance:F1} over {r.Goodness.Bins} bins)"));
        if (r.OverDispersion is { } od)
            o.WriteLine(string.Create(c, $"  over-dispersion: Δ(−2lnL) = {od.DevianceReduction:F2} against Poisson ({od.Significance:F1}σ)"));
        o.WriteLine(string.Create(c, $"  status: {r.StatusReason}; {r.Iterations} iterations, {r.Evaluations} evaluations, {r.ElapsedMilliseconds:F1} ms"));
        foreach (string w in r.Warnings) o.WriteLine($"  warning: {w}");
        foreach (string n in r.Notes) o.WriteLine($"  note: {n}");
    }
}
