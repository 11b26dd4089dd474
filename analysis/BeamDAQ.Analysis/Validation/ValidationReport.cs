using System.Globalization;
using System.Text;

namespace BeamDAQ.Analysis.Validation;

/// <summary>The Markdown of docs/validation.md: method, targets, the per-point table, and what missed.</summary>
public static class ValidationReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Table(IReadOnlyList<PointSummary> points)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| λ | bunches | response | toys | converged | mean λ̂ | bias (σ̂ units) | pull mean | pull width | 68 % coverage | mean σ̂ | median ms/toy | targets |");
        sb.AppendLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var p in points)
        {
            var misses = p.Misses();
            sb.AppendLine(string.Create(C,
                $"| {p.Lambda:G3} | {p.Bunches} | {(p.Calibrated ? "fixed from λ≈2 calibration" : "free")} | {p.Toys} | {100 * p.ConvergenceFraction:F1} % | {p.MeanLambda:G4} | {p.Bias / p.MeanError:+0.000;-0.000} ± {p.BiasError / p.MeanError:F3} | {p.PullMean:+0.000;-0.000} ± {p.PullMeanError:F3} | {p.PullWidth:F3} ± {p.PullWidthError:F3} | {100 * p.Coverage:F1} ± {100 * p.CoverageError:F1} % | {p.MeanError:G3} | {p.MedianMilliseconds:F1} | {(misses.Count == 0 ? "met" : "**missed**: " + string.Join("; ", misses))} |"));
        }
        return sb.ToString();
    }

    /// <summary>
    /// Each miss with its distance from the target band in units of the toys' statistical uncertainty, and a
    /// verdict: within 2σ a miss is what the finite number of toys produces by chance (with 27 points and four
    /// figures each, a few are expected); beyond 3σ it is a real defect.
    /// </summary>
    public static string Misses(IReadOnlyList<PointSummary> points)
    {
        var sb = new StringBuilder();
        int statistical = 0, real = 0;
        foreach (var p in points)
        {
            var items = new List<string>();
            void Add(string text, double sigmas)
            {
                string verdict = sigmas <= 2 ? "statistical" : sigmas <= 3 ? "marginal" : "**significant**";
                if (sigmas <= 2) statistical++; else real++;
                items.Add(string.Create(C, $"{text} ({sigmas:F1} statistical σ beyond the target: {verdict})"));
            }
            if (p.ConvergenceFraction < 0.995)
            {
                real++;
                items.Add(string.Create(C, $"{p.Toys - p.Converged} of {p.Toys} toys did not converge ({string.Join("; ", p.Failures)})"));
            }
            if (!(Math.Abs(p.PullMean) <= 0.1))
                Add(string.Create(C, $"pull mean {p.PullMean:F3} ± {p.PullMeanError:F3}"), (Math.Abs(p.PullMean) - 0.1) / p.PullMeanError);
            if (!(Math.Abs(p.PullWidth - 1) <= 0.07))
                Add(string.Create(C, $"pull width {p.PullWidth:F3} ± {p.PullWidthError:F3}"), (Math.Abs(p.PullWidth - 1) - 0.07) / p.PullWidthError);
            if (!(Math.Abs(p.Coverage - 0.6827) <= 0.03))
                Add(string.Create(C, $"coverage {100 * p.Coverage:F1} ± {100 * p.CoverageError:F1} %"), (Math.Abs(p.Coverage - 0.6827) - 0.03) / p.CoverageError);
            if (items.Count > 0) sb.AppendLine(string.Create(C, $"- λ = {p.Lambda:G3}, {p.Bunches} bunches: {string.Join("; ", items)}."));
        }
        if (sb.Length == 0) return "Every point met every target.\n";
        sb.AppendLine();
        sb.AppendLine(string.Create(C, $"{statistical} of the misses lie within 2 statistical σ of their target band, {real} beyond."));
        return sb.ToString();
    }
}
