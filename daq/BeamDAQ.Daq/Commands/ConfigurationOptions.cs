using System.CommandLine;
using System.Globalization;
using BeamDAQ.Daq.Configuration;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Daq.Commands;

/// <summary>
/// <c>--config F</c> and <c>--sim</c>, shared by the commands that open a digitizer, and how command-line options
/// become configuration overrides (dotted keys over the file, validated with it: a bad value names the option).
/// </summary>
internal sealed class ConfigurationOptions
{
    public Option<string?> Config { get; } = new("--config") { Description = "Configuration file (YAML; see configs/daq.yaml). Default: built-in defaults", HelpName = "F" };
    public Option<bool> Sim { get; } = new("--sim") { Description = "Use the simulated HS4 whatever the configuration says" };

    public void AddTo(Command command)
    {
        command.Add(Config);
        command.Add(Sim);
    }

    /// <summary>Loads the configuration with <paramref name="overrides"/> (dotted keys) on top; exit code 2 on any problem.</summary>
    public DaqConfiguration Load(ParseResult parse, Dictionary<string, object?> overrides)
    {
        if (parse.GetValue(Sim)) overrides["digitizer.driver"] = "simulator";
        return DaqConfigurationLoader.Load(parse.GetValue(Config), overrides, "command line");
    }

    /// <summary><c>--rate HZ|max</c> as simulator overrides.</summary>
    public static void AddRate(Dictionary<string, object?> overrides, string? rate)
    {
        if (rate is null) return;
        if (string.Equals(rate, "max", StringComparison.OrdinalIgnoreCase))
        {
            overrides["simulator.pacing"] = "max";
            return;
        }
        if (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out double hz) || !(hz > 0) || double.IsInfinity(hz))
            throw new UsageException($"--rate '{rate}' is not allowed: a bunch rate in Hz (> 0, e.g. 5) or max (no waiting)");
        overrides["simulator.bunch_rate_hz"] = hz;
        overrides["simulator.pacing"] = "realtime";
    }
}
