using BeamDAQ.Control.Alarms;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.RunControl.Daq;
using BeamDAQ.Control.RunControl.Orchestration;
using BeamDAQ.Control.RunControl.Recorders;
using BeamDAQ.Control.RunControl.Settings;
using BeamDAQ.Control.RunControl.Supervision;
using BeamDAQ.Control.Tests.Catalog.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;
using Serilog.Core;

namespace BeamDAQ.Control.Tests.RunControl.Support;

/// <summary>
/// A run controller wired to a <see cref="FakeDaq"/> over real sockets and a real SQLite catalog in a temporary
/// directory, on a clock the test moves. Heartbeats are handed to the controller directly (no subscription), so
/// the tests decide exactly when one arrives.
/// </summary>
public sealed class RunControlHarness : IDisposable
{
    public static readonly DateTimeOffset Epoch = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private readonly List<IDisposable> _owned = [];

    public RunControlHarness(int retries = 2, RunControlOptions? options = null, IFacilityReader? facility = null, RunOwner? owner = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("beamdaq-runcontrol-").FullName;
        Clock = new ManualClock(Epoch);
        Daq = new FakeDaq(Path.Combine(Directory, "runs"));
        Context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        CatalogPath = Path.Combine(Directory, "catalog.sqlite");
        // No subscription here, so no run.end arrives by itself: a stop does not wait for one.
        Options = options ?? new RunControlOptions { DefaultOperator = "shift-crew", HeartbeatTimeout = TimeSpan.FromSeconds(5), RunEndWait = TimeSpan.Zero };
        Retries = retries;
        Facility = facility;
        Owner = owner;
        Controller = NewController();
    }

    public string Directory { get; }
    public ManualClock Clock { get; }
    public FakeDaq Daq { get; }
    public ZmqContext Context { get; }
    public string CatalogPath { get; }
    public RunControlOptions Options { get; }
    public int Retries { get; }
    public IFacilityReader? Facility { get; }
    public RunOwner? Owner { get; }
    public RunController Controller { get; private set; }
    public IRunCatalog Catalog { get; private set; } = null!;
    public AlarmEngine Alarms { get; private set; } = null!;
    public List<AlarmTransition> AlarmTransitions { get; } = [];

    /// <summary>Short time-outs: a silent front end costs (retries + 1) × 300 ms.</summary>
    public DaqClientOptions DaqOptions => new()
    {
        Endpoint = Daq.ControlEndpoint,
        QueryTimeout = TimeSpan.FromMilliseconds(300),
        CommandTimeout = TimeSpan.FromMilliseconds(1500),
        Retries = Retries,
    };

    /// <summary>A controller of its own, as a restarted control node has: new catalog connection, new client, same files.</summary>
    public RunController NewController(RunOwner? owner = null)
    {
        Catalog = RunCatalog.OpenSqlite(CatalogPath, RunCatalogOptions.Default with { Clock = Clock, Owner = owner ?? Owner ?? RunOwner.CurrentProcess });
        _owned.Add(Catalog);
        var client = new DaqClient(Context, DaqOptions);
        _owned.Add(client);
        Alarms = new AlarmEngine([new FrontEndContactRule(), new BeamDAQ.Control.Alarms.Rules.NoTriggerRule(TimeSpan.FromSeconds(10))], Clock, Logger.None);
        Alarms.Subscribe(AlarmTransitions.Add);
        Controller = new RunController(Catalog, client, Facility, Alarms, new SlowControlRecorder(Catalog, null, () => Controller?.CurrentRun, null, Logger.None),
            Clock, Logger.None, Options);
        return Controller;
    }

    /// <summary>The fake daq's latest heartbeat, delivered to the controller now.</summary>
    public void Heartbeat(string? state = null, uint? run = null, string deviceState = "ok")
    {
        Controller.OnDaqStatus(new DaqStatusMessage
        {
            State = state ?? Daq.State,
            Run = state is null ? (Daq.State == "Running" ? Daq.Run : null) : run,
            TriggerRateHz = 5,
            Events = Daq.Events,
            Missed = 0,
            DeadTimeFraction = 0.002,
            BytesWritten = 0,
            DeviceState = deviceState,
            Dropped = 0,
            TimeNs = ((IClock)Clock).UnixNanoseconds,
        });
    }

    public StartOutcome Start(string comment = "test run", long? events = null) =>
        Controller.Start(new StartRequest { Comment = comment, EventsLimit = events });

    public void Dispose()
    {
        Daq.Dispose();
        foreach (var owned in _owned) owned.Dispose();
        Context.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still mapped by a reader on another thread: the temp directory is cleaned up later.
        }
    }
}
