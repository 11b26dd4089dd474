using System.Globalization;
using BeamDAQ.Analysis.Fitting.Calibration;
using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Analysis.Offline;

/// <summary>
/// The calibration behind <c>--fix-response-from FILE</c> offline: a low-λ run file, analysed with the same
/// features and response as the files it calibrates and fitted with the response free, or a <c>fit --json</c>
/// output (<see cref="ResponseCalibration.FromJsonFile"/>).
/// </summary>
public static class CalibrationRun
{
    public static ResponseCalibration Load(string path, OfflineOptions options, MultiplicitySpectrumFitter fitter)
    {
        if (!File.Exists(path)) throw new UsageException($"--fix-response-from: file '{path}' does not exist");
        if (!IsRunFile(path)) return ResponseCalibration.FromJsonFile(path);

        var analysis = new RunFileAnalyzer(options, new MultiplicitySpectrumFitter(fitter.Options with { Calibration = null, IncludeSpectrum = false })).Analyze(path);
        if (analysis.Failure is { } failure) throw new UsageException($"--fix-response-from {path}: {failure}");
        if (analysis.FittedSpectrum?.Fit?.Details is not FitResult fit)
            throw new UsageException($"--fix-response-from {path}: no spectrum in it could be fitted ({analysis.Counters.Events} events)");
        string where = $"--fix-response-from {path} (channel {analysis.FittedSpectrum.ChannelId})";
        if (!fit.Converged) throw new UsageException($"{where}: its fit did not converge ({fit.StatusReason}); a calibration must come from a converged fit");
        if (fit.Lambda is < ResponseCalibration.MinimumLambda or > ResponseCalibration.MaximumLambda)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"{where}: λ = {fit.Lambda:F3}; a calibration run needs λ between {ResponseCalibration.MinimumLambda} and {ResponseCalibration.MaximumLambda} (below, few bunches see an electron; above, its own response is degenerate with λ): pass a run at a smaller exit aperture"));
        return ResponseCalibration.FromFit(fit, path);
    }

    private static bool IsRunFile(string path)
    {
        Span<byte> magic = stackalloc byte[RunFileFormat.MagicLength];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) == magic.Length && magic.SequenceEqual(RunFileFormat.Magic);
    }
}
