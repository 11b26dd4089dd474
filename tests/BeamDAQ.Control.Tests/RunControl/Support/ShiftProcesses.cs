using System.Text.Json;
using BeamDAQ.Control.Catalog;

namespace BeamDAQ.Control.Tests.RunControl.Support;

/// <summary>
/// The real programs of a shift, each its own process on free ports of 127.0.0.1, in a temporary directory:
/// <c>beamdaq-control facility-sim</c>, <c>beamdaq-daq serve --sim</c>, optionally <c>beamdaq-analysis monitor</c>,
/// and <c>beamdaq-control serve</c>; the commands (start, stop, status, runs ...) run as processes too.
/// </summary>
public sealed class ShiftProcesses : IDisposable
{
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(120);

    private readonly List<ProgramProcess> _processes = [];

    /// <param name="daqYaml">The front end's configuration (its output directory and addresses are added here).</param>
    /// <param name="withMonitor">Also run the analysis monitor, whose fit results the control node stores.</param>
    public ShiftProcesses(string daqYaml, bool withMonitor, double heartbeatTimeoutS = 3)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("beamdaq-shift-").FullName;
        CatalogPath = Path.Combine(Directory, "catalog.sqlite");
        FacilityBasePort = Programs.FreePortRange(5);
        DaqControl = Programs.FreeEndpoint();
        DaqPublish = Programs.FreeEndpoint();
        ControlListen = Programs.FreeEndpoint();
        ControlPublish = Programs.FreeEndpoint();
        AnalysisPublish = Programs.FreeEndpoint();

        File.WriteAllText(Path.Combine(Directory, "facility.yaml"), $"""
            base_port: {FacilityBasePort}
            slow_control:
              poll_interval_s: 0.5
              read_timeout_ms: 700
              connect_timeout_ms: 700
              backoff_initial_s: 0.2
              backoff_max_s: 1
            """);
        File.WriteAllText(Path.Combine(Directory, "daq.yaml"), daqYaml + $"""

            output:
              directory: {Path.Combine(Directory, "runs")}
            """);
        File.WriteAllText(Path.Combine(Directory, "control.yaml"), $"""
            listen: {"{"} address: "{ControlListen}" {"}"}
            publish: {"{"} address: "{ControlPublish}" {"}"}
            catalog: {CatalogPath}
            daq:
              control_address: "{DaqControl}"
              publish_address: "{DaqPublish}"
              heartbeat_timeout_s: {heartbeatTimeoutS.ToString(System.Globalization.CultureInfo.InvariantCulture)}
              query_timeout_s: 1
              retries: 1
            analysis: {"{"} publish_address: "{AnalysisPublish}" {"}"}
            facility: {"{"} config: {Path.Combine(Directory, "facility.yaml")} {"}"}
            run: {"{"} operator: shift crew, progress_interval_s: 0.5 {"}"}
            """);

        try
        {
            Facility = Start("facility-sim", Programs.Control, "facility-sim", "--config", "facility.yaml", "--time-scale", "20");
            Daq = Start("daq", Programs.Daq, "serve", "--sim", "--config", "daq.yaml", "--control", DaqControl, "--publish", DaqPublish);
            if (withMonitor)
                Monitor = Start("monitor", Programs.Analysis, "monitor", "--connect", DaqPublish, "--connect", ControlPublish,
                    "--http", "127.0.0.1:0", "--publish", AnalysisPublish, "--fit-every", "1");
            Facility.WaitFor("beam monitor (SCPI)", StartDeadline);
            Daq.WaitFor("serving run control on", StartDeadline);
            Monitor?.WaitFor("fits published on", StartDeadline);
            Control = StartControl();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Directory { get; }
    public string CatalogPath { get; }
    public int FacilityBasePort { get; }
    public string DaqControl { get; }
    public string DaqPublish { get; }
    public string ControlListen { get; }
    public string ControlPublish { get; }
    public string AnalysisPublish { get; }
    public ProgramProcess Facility { get; } = null!;
    public ProgramProcess Daq { get; } = null!;
    public ProgramProcess? Monitor { get; }
    public ProgramProcess Control { get; private set; } = null!;

    private ProgramProcess Start(string name, string dll, params string[] args)
    {
        var process = new ProgramProcess(name, dll, Directory, null, args);
        _processes.Add(process);
        return process;
    }

    private ProgramProcess StartControl()
    {
        var control = Start("control", Programs.Control, "serve", "--config", "control.yaml");
        control.WaitFor("control node listening on", StartDeadline);
        return control;
    }

    /// <summary>Stops the control node (SIGTERM, as an operator would) and starts a new one on the same catalog.</summary>
    public void RestartControl()
    {
        Assert.Equal(0, Control.Terminate(TimeSpan.FromSeconds(30)));
        Control = StartControl();
    }

    /// <summary>A beamdaq-control command against this control node, as a process.</summary>
    public ControlCliResult Cli(params string[] args)
    {
        string[] withConnect = args[0] is "start" or "stop" or "status" or "reset" ? [.. args, "--connect", ControlListen] : args;
        return ProgramProcess.Run(Programs.Control, Directory, CommandDeadline, withConnect);
    }

    public JsonElement Status()
    {
        var result = Cli("status", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Out);
        return document.RootElement.Clone();
    }

    public IRunCatalog Catalog() => RunCatalog.OpenSqlite(CatalogPath, RunCatalogOptions.Default with { CreateIfMissing = false });

    /// <summary>Everything the programs printed, for a failing assertion's message.</summary>
    public string Transcript() => string.Join("\n", _processes.Select(p => $"--- {p.Name} ({p.CommandLine})\n{p.Out}\n{p.Error}"));

    public void Dispose()
    {
        foreach (var process in Enumerable.Reverse(_processes)) process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
