using System.CommandLine;
using System.Diagnostics;
using BeamDAQ.Control.Commands;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.RunControl.Daq;
using BeamDAQ.Control.RunControl.Node;
using BeamDAQ.Control.RunControl.Orchestration;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Control.Tests.RunControl.Support;

/// <summary>
/// A whole control node in this process (real sockets on 127.0.0.1, real SQLite catalog, system clock) commanding a
/// <see cref="FakeDaq"/> that sends heartbeats ten times a second; optionally with the simulated facility. The CLI
/// commands run in process against it.
/// </summary>
public sealed class NodeHarness : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private NodeHarness(string directory, FakeDaq daq, FacilitySimulator? sim, FacilityConfig facilityConfig)
    {
        Directory = directory;
        Daq = daq;
        Sim = sim;
        FacilityConfig = facilityConfig;
        CatalogPath = Path.Combine(directory, "catalog.sqlite");
        Log = new StringWriter();
    }

    public string Directory { get; }
    public FakeDaq Daq { get; }
    public FacilitySimulator? Sim { get; }
    public FacilityConfig FacilityConfig { get; }
    public string CatalogPath { get; }
    public ControlNode Node { get; private set; } = null!;
    public StringWriter Log { get; }

    public string LogText() { lock (Log) return Log.ToString(); }
    public ZmqContext Context { get; } = new() { DefaultLinger = TimeSpan.Zero };
    public EventPublisher Analysis { get; private set; } = null!;

    public static NodeHarness Start(bool facility = false, string listen = "tcp://127.0.0.1:*", string? token = null)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("beamdaq-node-").FullName;
        var daq = new FakeDaq(Path.Combine(directory, "runs"));
        daq.StartHeartbeats(TimeSpan.FromMilliseconds(100));
        var config = FacilityConfigLoader.Defaults();
        config.SlowControl.PollIntervalS = 0.2;
        config.SlowControl.ReadTimeoutMs = 1000;
        FacilitySimulator? sim = facility
            ? FacilitySimulator.Start(config, new BeamDAQ.Control.Facility.AcceleratedClock(SystemClock.Instance, 50), Serilog.Core.Logger.None, basePortOverride: 0, seed: 3)
            : null;
        var harness = new NodeHarness(directory, daq, sim, config);
        harness.Analysis = new EventPublisher(harness.Context, "tcp://127.0.0.1:*");
        harness.Node = harness.StartNode(listen, token);
        return harness;
    }

    public ControlNodeOptions Options(string listen, string? token) => new()
    {
        Catalog = CatalogPath,
        ListenAddress = listen,
        ListenToken = token,
        PublishAddress = "tcp://127.0.0.1:*",
        Daq = new DaqClientOptions
        {
            Endpoint = Daq.ControlEndpoint,
            QueryTimeout = TimeSpan.FromMilliseconds(400),
            CommandTimeout = TimeSpan.FromSeconds(3),
            Retries = 1,
        },
        DaqPublishAddress = Daq.PublishEndpoint,
        AnalysisPublishAddress = Analysis.Endpoint,
        Facility = Sim?.Endpoints,
        FacilityConfig = FacilityConfig,
        RunControl = new RunControlOptions
        {
            DefaultOperator = "night shift",
            HeartbeatTimeout = TimeSpan.FromSeconds(1),
            ProgressInterval = TimeSpan.FromMilliseconds(200),
            CollimatorSettleTimeout = TimeSpan.FromSeconds(10),
        },
        IdleStoreInterval = null,
        SupervisionInterval = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>A control node (again) on the same catalog and front end, logging into <see cref="Log"/>.</summary>
    public ControlNode StartNode(string listen = "tcp://127.0.0.1:*", string? token = null)
    {
        var log = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(new TextSink(Log)).CreateLogger();
        Node = ControlNode.Start(Options(listen, token), SystemClock.Instance, log);
        return Node;
    }

    public async Task RestartNodeAsync()
    {
        await Node.DisposeAsync();
        StartNode();
    }

    /// <summary>beamdaq-control's run-control commands in process, against this node.</summary>
    public ControlCliResult Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CommandConsole(output, error);
        var root = new RootCommand("beamdaq-control");
        root.Add(StartCommand.Create(console));
        root.Add(StopCommand.Create(console));
        root.Add(StatusCommand.Create(console));
        root.Add(ResetCommand.Create(console));
        string[] withConnect = args.Length > 0 && args.Contains("--connect") ? args : [.. args, "--connect", Node.Endpoint!];
        int exit = CommandLineHost.Run(root, withConnect);
        return new ControlCliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Waits for <paramref name="condition"/> with a bounded deadline (polling, never a fixed sleep).</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline) throw new TimeoutException($"not within {Deadline.TotalSeconds} s: {what}");
            Thread.Sleep(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        Daq.Dispose();
        Analysis.Dispose();
        Context.Dispose();
        if (Sim is not null) await Sim.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Every log event rendered into a writer, so a test can read what the node logged.</summary>
internal sealed class TextSink(StringWriter writer) : Serilog.Core.ILogEventSink
{
    public void Emit(Serilog.Events.LogEvent logEvent)
    {
        lock (writer)
        {
            writer.WriteLine($"[{logEvent.Level}] {logEvent.RenderMessage()}");
            if (logEvent.Exception is { } e) writer.WriteLine(e.ToString());
        }
    }
}
