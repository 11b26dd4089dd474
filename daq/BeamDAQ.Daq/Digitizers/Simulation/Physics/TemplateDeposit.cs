using System.Globalization;

namespace BeamDAQ.Daq.Digitizers.Simulation.Physics;

/// <summary>
/// Deposits drawn from a recorded single-electron response (e.g. the Geant4 template
/// <c>g4_2.5MeV_1e_deposit_MeV.csv</c>: one deposit in MeV per line): each electron takes a uniformly chosen
/// entry, so the simulated spectrum has exactly the template's distribution.
/// </summary>
public sealed class TemplateDeposit : IDepositModel
{
    private readonly double[] _deposits;

    public TemplateDeposit(IEnumerable<double> depositsMeV, string source)
    {
        _deposits = depositsMeV.ToArray();
        if (_deposits.Length == 0) throw new ArgumentException($"template {source} holds no deposits", nameof(depositsMeV));
        Source = source;
    }

    public string Source { get; }
    public IReadOnlyList<double> Deposits => _deposits;

    public string Description => string.Create(CultureInfo.InvariantCulture, $"template({Source}, {_deposits.Length} entries)");

    public double SampleMeV(Random random) => _deposits[random.Next(_deposits.Length)];

    /// <summary>
    /// Reads a template file: one number per line (blank lines and lines starting with '#' are skipped).
    /// A line that is not a finite number ≥ 0 is an error naming the file and the line.
    /// </summary>
    public static TemplateDeposit Load(string path)
    {
        var values = new List<double>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0)
                throw new FormatException($"{path}:{lineNumber}: '{Truncate(line)}' is not a deposit (a number ≥ 0, in MeV)");
            values.Add(v);
        }
        if (values.Count == 0) throw new FormatException($"{path}: no deposits (expected one number per line, in MeV)");
        return new TemplateDeposit(values, Path.GetFileName(path));
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
