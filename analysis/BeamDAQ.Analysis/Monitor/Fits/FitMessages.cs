using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Monitor.Fits;

/// <summary>A <see cref="FitResult"/> as the <c>fit</c> message the control node stores in the run catalog.</summary>
public static class FitMessages
{
    public static FitMessage From(FitResult result, uint run, long timeNs, int channelId, bool final)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in result.Parameters)
        {
            if (p.Name == "lambda") continue;
            parameters[p.Name] = p.Value;
            parameters[p.Name + "_error"] = p.Error;
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
            // Extra keys (DESIGN §4 allows them): which channel, and whether it is the fit at the run's end.
            Extras = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["channel"] = (long)channelId,
                ["final"] = final,
                ["source"] = "monitor",
            },
        };
    }
}
