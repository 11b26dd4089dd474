using System.Globalization;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>
/// How much work a test does. The CI defaults keep the whole project within a few minutes on 2 cores; the full
/// counts of docs/reliability.md come from environment variables, so the same tests measure the figures.
/// </summary>
public static class Budget
{
    /// <summary>Fuzzed wire messages decoded in memory (<c>BEAMDAQ_FUZZ_WIRE</c>).</summary>
    public static int WireInputs => Int("BEAMDAQ_FUZZ_WIRE", 900_000);

    /// <summary>Fuzzed wire messages sent through a real ZeroMQ subscriber (<c>BEAMDAQ_FUZZ_SOCKET</c>).</summary>
    public static int SocketInputs => Int("BEAMDAQ_FUZZ_SOCKET", 50_000);

    /// <summary>Mutated run files read in memory (<c>BEAMDAQ_FUZZ_FILES</c>).</summary>
    public static int FileInputs => Int("BEAMDAQ_FUZZ_FILES", 100_000);

    /// <summary>SIGKILL trials per program (<c>BEAMDAQ_KILL_TRIALS</c>; the full count is 10).</summary>
    public static int KillTrials => Int("BEAMDAQ_KILL_TRIALS", 3);

    /// <summary>Outage of a node in the network-fault tests (<c>BEAMDAQ_OUTAGE_S</c>; the full figure is 30 s).</summary>
    public static TimeSpan Outage => TimeSpan.FromSeconds(Int("BEAMDAQ_OUTAGE_S", 3));

    /// <summary>Bunches of the soak run inside the test suite (<c>BEAMDAQ_SOAK_BUNCHES</c>; run-scripts/soak.sh does 144,000).</summary>
    public static int SoakBunches => Int("BEAMDAQ_SOAK_BUNCHES", 10_000);

    /// <summary>Set (<c>BEAMDAQ_WRITE_DOCS=1</c>) to regenerate the tables in docs/ from the test data.</summary>
    public static bool WriteDocs => Environment.GetEnvironmentVariable("BEAMDAQ_WRITE_DOCS") == "1";

    public static bool Flag(string name) => Environment.GetEnvironmentVariable(name) == "1";

    private static int Int(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : fallback;
}
