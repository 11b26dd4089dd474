using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Monitor.Fits;

/// <summary>A <see cref="FitResult"/> as the <c>fit</c> message the control node stores in the run catalog.</summary>
public static class FitMessages
{
    public static FitMessage From(FitResult result, uint run, long timeNs, int channelId, bool final, CalibrationSource? responseFrom = null)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in result.Parameters)
        {
            if (p.Name == "lambda") continue;
            parameters[p.Name] = p.Value;
            parameters[p.Name + "_error"] = p.Error;
        }
        // Extra keys (DESIGN §4 allows them): which channel, whether it is the fit at the run's end, and — when the
        // response was fixed from a low-λ run — which run, so the catalog says what this λ rests on.
        var extras = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["channel"] = (long)channelId,
            ["final"] = final,
            ["source"] = "monitor",
        };
        if (responseFrom is not null)
        {
            extras["response_from_run"] = responseFrom.Run is { } r ? (object)(long)r : null;
            extras["response_from_lambda"] = responseFrom.Lambda;
            extras["lambda_error_calibration"] = result.LambdaErrorCalibration;
        }
        return new FitMessage
        {
            Run = run,
            TimeNs = timeNs,
            Lambda = result.Lambda,
            LambdaError = result.LambdaError,
            Converged = result.Converged,
            LambdaLow = result.LambdaIntervalFound ? result.LambdaLower : null,
            LambdaHigh = result.LambdaIntervalFound ? result.LambdaUpper : null,
            Chi2 = result.Goodness.Chi2,
            Ndf = result.Goodness.Ndf,
            PValue = result.Goodness.PValue,
            Events = (ulong)Math.Max(0, result.Events),
            LambdaZeroFraction = result.ZeroFraction.Lambda,
            LambdaMean = result.MeanMethod?.Lambda,
            Model = "compound-poisson/" + result.Model,
            Software = SoftwareVersion.Current,
            Parameters = parameters,
            Extras = extras,
        };
    }
}
