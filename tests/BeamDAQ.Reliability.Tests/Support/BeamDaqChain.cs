using System.Globalization;
using System.Net.Http;
using System.Text.Json.Nodes;
using BeamDAQ.Control.Catalog;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>
/// The whole chain as separate processes on free loopback ports — <c>beamdaq-daq serve</c> (simulated HS4),
/// <c>beamdaq-control serve</c> (SQLite catalog, no facility) and <c>beamdaq-analysis monitor</c> — each one started,
/// killed and restarted on its own by the fault tests. Time-outs are short so that faults are noticed within seconds.
/// </summary>
public sealed class BeamDaqChain : IDisposable
{
    private readonly TempDirectory _dir = new("beamdaq-chain-");
    private readonly int[] _ports = FreePorts.Take(6);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <param name="bunchRateHz">The simulated beam's bunch rate (real time).</param>
    /// <param name="heartbeatTimeoutSeconds">How long the control node waits for a daq.status before it pings, then gives the run up.</param>
    /// <param name="pacing"><c>realtime</c>, or <c>max</c>: simulated time jumps to the next bunch (hours of beam in minutes).</param>
    public BeamDaqChain(double bunchRateHz = 100, string extraDaqYaml = "", double heartbeatTimeoutSeconds = 2, string pacing = "realtime")
    {
        Directory.CreateDirectory(RunsDirectory);
        File.WriteAllText(DaqConfig, string.Create(CultureInfo.InvariantCulture,
            $"simulator:\n  bunch_rate_hz: {bunchRateHz}\n  pacing: {pacing}\noutput:\n  directory: {RunsDirectory}\nheartbeat_s: 0.25\n{extraDaqYaml}"));
        File.WriteAllText(ControlConfig,
            string.Create(CultureInfo.InvariantCulture, $"daq:\n  query_timeout_s: 0.5\n  command_timeout_s: 5\n  retries: 1\n  heartbeat_timeout_s: {heartbeatTimeoutSeconds}\n  simulated_beam_from_facility: false\n") +
            "facility:\n  enabled: false\nrun:\n  progress_interval_s: 0.5\nsupervision_interval_s: 0.1\n");
    }

    public string Directory_ => _dir.Path;
    public string RunsDirectory => _dir.File("runs");
    public string CatalogPath => _dir.File("catalog.sqlite");
    public string LogDirectory => _dir.File("logs");
    private string DaqConfig => _dir.File("daq.yaml");
    private string ControlConfig => _dir.File("control.yaml");

    public string DaqPublish => $"tcp://127.0.0.1:{_ports[0]}";
    public string DaqControl => $"tcp://127.0.0.1:{_ports[1]}";
    public string AnalysisPublish => $"tcp://127.0.0.1:{_ports[2]}";
    public string ControlPublish => $"tcp://127.0.0.1:{_ports[3]}";
    public string ControlListen => $"tcp://127.0.0.1:{_ports[4]}";
    public string HttpBase => $"http://127.0.0.1:{_ports[5]}";

    /// <summary>Where the monitor finds the daq's publisher (a <see cref="TcpOutageProxy"/> to cut the link); default the daq itself.</summary>
    public string? MonitorSeesDaqPublish { get; set; }

    /// <summary>Where the control node finds the daq's run control and publisher; default the daq itself.</summary>
    public string? ControlSeesDaqControl { get; set; }
    public string? ControlSeesDaqPublish { get; set; }

    /// <summary>Environment for every program of the chain (e.g. garbage-collector settings for the soak).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public BeamDaqProgram? Daq { get; private set; }
    public BeamDaqProgram? Control { get; private set; }
    public BeamDaqProgram? Analysis { get; private set; }

    public BeamDaqProgram StartDaq()
    {
        Daq?.Dispose();
        Daq = BeamDaqProgram.Start(ProgramName.Daq, _dir.Path, ["serve", "--config", DaqConfig, "--control", DaqControl, "--publish", DaqPublish], Environment);
        Daq.WaitForOutput("serving run control on");
        return Daq;
    }

    public BeamDaqProgram StartControl()
    {
        Control?.Dispose();
        Control = BeamDaqProgram.Start(ProgramName.Control, _dir.Path,
            ["serve", "--config", ControlConfig, "--catalog", CatalogPath, "--listen", ControlListen, "--publish", ControlPublish,
             "--daq-control", ControlSeesDaqControl ?? DaqControl, "--daq-publish", ControlSeesDaqPublish ?? DaqPublish, "--analysis-publish", AnalysisPublish, "--no-facility"],
            Environment);
        Control.WaitForOutput("control node listening on");
        return Control;
    }

    public BeamDaqProgram StartAnalysis()
    {
        Analysis?.Dispose();
        Analysis = BeamDaqProgram.Start(ProgramName.Analysis, _dir.Path,
            ["monitor", "--connect", MonitorSeesDaqPublish ?? DaqPublish, "--connect", ControlPublish, "--http", $"127.0.0.1:{_ports[5]}", "--publish", AnalysisPublish,
             "--control", ControlListen, "--fit-every", "1"], Environment);
        Eventually.True(() => MonitorState() is not null || Analysis.HasExited, "the monitor serving /api/state", state: () => Analysis.Stderr);
        return Analysis;
    }

    /// <summary>One request to the control node (its REP endpoint), e.g. <c>start</c>, <c>stop</c>, <c>status</c>.</summary>
    public Dictionary<string, object?> ControlRequest(string command, Dictionary<string, object?>? keys = null, TimeSpan? timeout = null)
    {
        using var client = new RunControlClient(ControlListen, timeout ?? TimeSpan.FromSeconds(20));
        return client.Send(command, keys);
    }

    /// <summary>The control node's state (Idle, Configured, Running, Stopping, Error), or null when it does not answer.</summary>
    public string? ControlState()
    {
        try { return ControlRequest("status", timeout: TimeSpan.FromSeconds(2)).GetValueOrDefault("state") as string; }
        catch (TimeoutException) { return null; }
    }

    /// <summary>The daq's own view (status over its run control), or null when it does not answer.</summary>
    public Dictionary<string, object?>? DaqStatus()
    {
        try
        {
            using var client = new RunControlClient(DaqControl, TimeSpan.FromSeconds(2));
            return client.Send("status");
        }
        catch (TimeoutException) { return null; }
    }

    /// <summary>The monitor's full state as JSON (/api/state), or null when it does not answer.</summary>
    public JsonObject? MonitorState()
    {
        try { return JsonNode.Parse(Http.GetStringAsync(HttpBase + "/api/state").GetAwaiter().GetResult())?.AsObject(); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException) { return null; }
    }

    /// <summary>Opens the catalog the control node writes (SQLite in WAL mode: safe beside the writer).</summary>
    public IRunCatalog OpenCatalog() => RunCatalog.OpenSqlite(CatalogPath);

    public void Dispose()
    {
        Analysis?.Dispose();
        Control?.Dispose();
        Daq?.Dispose();
        _dir.Dispose();
    }
}
