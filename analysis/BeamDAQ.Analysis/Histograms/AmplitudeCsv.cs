using System.Globalization;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Histograms;

/// <summary>
/// Reads per-bunch amplitudes from a text file: one number per line, blank lines and '#' comments skipped.
/// A line that is not a finite number is bad input: the error names the file, the line, the value and what is
/// allowed (and the command exits with 2), never a silent skip.
/// </summary>
public static class AmplitudeCsv
{
    /// <summary>Amplitudes multiplied by <paramref name="scale"/> (e.g. 1000 to turn volts into mV).</summary>
    public static double[] Read(string path, double scale, string unitDescription)
    {
        if (!File.Exists(path)) throw new UsageException($"amplitude file '{path}' does not exist; give a text file with one amplitude per line ({unitDescription})");
        var values = new List<double>();
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                string shown = line.Length <= 40 ? line : line[..40] + "...";
                throw new UsageException($"{path}:{lineNumber}: '{shown}' is not an amplitude; expected one finite number per line ({unitDescription}), '#' comments and blank lines allowed");
            }
            values.Add(value * scale);
        }
        if (values.Count < 10)
            throw new UsageException($"{path}: {values.Count} amplitudes; a fit needs at least 10");
        return values.ToArray();
    }
}
