using System.Diagnostics;
using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Daq.Configuration;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;
using Serilog;

namespace BeamDAQ.Daq.Acquisition;

/// <summary>
/// The front end of DESIGN §1: owns the digitizer (through its provider) and runs acquisitions one at a time, each
/// recorded to <c>run_NNNNNN.bdq</c> and published through the <see cref="MessageOutlet"/>. Both <c>beamdaq-daq run</c>
/// and run control's <c>serve</c> drive it: configure → start → (stop, or the run ends itself) → start again.
/// While a run lasts its thread owns the digitizer; the front end gets it back when the run ends.
/// </summary>
/// <remarks>Thread-safe: commands, the heartbeat's status and the run's end may come from different threads.</remarks>
public sealed class FrontEnd : IDisposable
{
    private readonly Lock _gate = new();
    private readonly MessageOutlet _outlet;
    private readonly Func<DaqConfiguration, IDigitizerProvider> _providerFactory;
    private readonly ILogger _log;
    private readonly Func<DaqConfiguration, AcquisitionOptions> _options;
    private IDigitizerProvider? _provider;
    private byte[]? _providerKey;
    private IDigitizer? _digitizer;
    private DaqConfiguration? _configuration;
    private AppliedSettings? _applied;
    private AcquisitionRun? _run;
    private RunSummary? _lastRun;
    private long _rateTimestamp;
    private ulong _rateEvents;
    private double _rateHz;

    /// <param name="providerFactory">Creates the digitizer provider a configuration asks for (simulator or HS4).</param>
    /// <param name="options">Acquisition timers per configuration; default <see cref="AcquisitionOptions.From"/>.</param>
    internal FrontEnd(MessageOutlet outlet, Func<DaqConfiguration, IDigitizerProvider> providerFactory, ILogger log,
        Func<DaqConfiguration, AcquisitionOptions>? options = null)
    {
        _outlet = outlet;
        _providerFactory = providerFactory;
        _log = log;
        _options = options ?? AcquisitionOptions.From;
    }

    public FrontEnd(DaqPublisher publisher, Func<DaqConfiguration, IDigitizerProvider> providerFactory, ILogger log,
        Func<DaqConfiguration, AcquisitionOptions>? options = null)
        : this(publisher.Outlet, providerFactory, log, options)
    {
    }

    /// <summary>Extra keys for every <c>run.begin</c> (e.g. where the simulator's λ comes from); null for none.</summary>
    public Func<IReadOnlyDictionary<string, object?>>? RunBeginExtras { get; init; }

    /// <summary>Raised on the run's thread when a run has ended, whether stopped or on its own.</summary>
    public event Action<RunSummary>? RunEnded;

    public DaqConfiguration? Configuration { get { lock (_gate) return _configuration; } }

    public AppliedSettings? Applied { get { lock (_gate) return _applied; } }

    public bool IsRunning { get { lock (_gate) return _run is not null; } }

    public RunSummary? LastRun { get { lock (_gate) return _lastRun; } }

    /// <summary>The provider in use (the simulator's, in tests that look at its counters).</summary>
    public IDigitizerProvider? Provider { get { lock (_gate) return _provider; } }

    /// <summary>
    /// Opens the digitizer when none is open (or when the digitizer or simulator part of the configuration changed)
    /// and applies <paramref name="configuration"/>'s settings; returns what the device applied.
    /// </summary>
    /// <exception cref="RunRefusedException">A run is in progress.</exception>
    /// <exception cref="DigitizerUnavailableException">The configured digitizer is not there.</exception>
    /// <exception cref="DigitizerSettingsException">The device refused a setting.</exception>
    public AppliedSettings Configure(DaqConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        lock (_gate)
        {
            if (_run is not null) throw new RunRefusedException($"run {_run.Run} is in progress; stop it before configuring");
            byte[] key = ProviderKey(configuration);
            if (_provider is null || !key.AsSpan().SequenceEqual(_providerKey))
            {
                CloseDeviceLocked();
                DisposeProviderLocked();
                _provider = _providerFactory(configuration);
                _providerKey = key;
            }
            string? serial = configuration.Digitizer.SerialNumber;
            _digitizer ??= _provider.TryOpen(serial) ?? throw Unavailable(serial);
            try
            {
                _applied = _digitizer.Configure(configuration.Digitizer);
            }
            catch (DigitizerGoneException)
            {
                // Unplugged since it was opened: one fresh attempt, then the error stands.
                CloseDeviceLocked();
                _digitizer = _provider.TryOpen(serial) ?? throw Unavailable(serial);
                _applied = _digitizer.Configure(configuration.Digitizer);
            }
            _configuration = configuration;
            _log.Information("configured {Model} {Serial}: {Bits} bit, {Rate} Sa/s, {Length} samples, {Channels} channel(s) ({Source})",
                _applied.Device.Model, _applied.Device.SerialNumber, _applied.ResolutionBits, _applied.SampleRateHz, _applied.RecordLength,
                _applied.Channels.Count(c => c.Enabled), configuration.Source);
            return _applied;
        }
    }

    private DigitizerUnavailableException Unavailable(string? serial)
    {
        string attached;
        try
        {
            var devices = _provider!.ListDevices();
            attached = devices.Count == 0 ? "none attached" : "attached: " + string.Join(", ", devices.Select(d => $"{d.Model} {d.SerialNumber}"));
        }
        catch (Exception e)
        {
            attached = $"the device list is unavailable: {e.Message}";
        }
        return new DigitizerUnavailableException(serial is null
            ? $"no digitizer could be opened ({attached}); it may be open in another program"
            : $"digitizer {serial} could not be opened ({attached}); it may be absent or open in another program");
    }

    /// <summary>
    /// Starts run <paramref name="run"/>: creates <c>run_NNNNNN.bdq</c> in the configured output directory, records and
    /// publishes <c>run.begin</c>, and starts acquiring. The digitizer is armed only after the file is open.
    /// </summary>
    /// <exception cref="RunRefusedException">Not configured, already running, the file exists, or the directory is not writable.</exception>
    public RunStarted StartRun(uint run, IReadOnlyDictionary<string, object?>? meta = null, ulong? eventLimit = null)
    {
        lock (_gate)
        {
            if (_run is not null) throw new RunRefusedException($"run {_run.Run} is in progress; stop it before starting run {run}");
            if (_configuration is null || _applied is null || _provider is null)
                throw new RunRefusedException("nothing is configured; configure before starting a run");
            if (_digitizer is null)
                throw new RunRefusedException("the digitizer is closed (it was lost); configure again before starting a run");
            if (run == 0) throw new RunRefusedException("run numbers start at 1");

            string directory = _configuration.OutputDirectory;
            RunFileNaming.EnsureWritable(directory);
            string path = RunFileNaming.PathFor(directory, run);
            if (File.Exists(path))
                throw new RunRefusedException($"run file '{path}' already exists; run numbers are never reused and run files never overwritten");

            RunFileWriter file;
            try
            {
                file = RunFileWriter.Create(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RunRefusedException($"cannot create run file '{path}': {e.Message}", e);
            }

            var clock = ClockOf(_provider);
            var plan = new RunPlan(run, meta ?? new Dictionary<string, object?>(), eventLimit, _configuration.Digitizer, _applied);
            try
            {
                var begin = new RunBeginMessage
                {
                    Run = run,
                    TimeNs = DeviceGap.UnixNanoseconds(clock.UtcNow),
                    Config = _configuration.ToMap(),
                    Applied = AppliedSettingsMap.ToMap(_applied),
                    Software = SoftwareVersion.Current,
                    Meta = plan.Meta,
                    Extras = RunBeginExtras?.Invoke() ?? new Dictionary<string, object?>(),
                };
                _outlet.Send(Topics.RunBegin, begin.ToMap(), file);
                // To the OS at once: a file cut short in its first second (a crash, a kill) still says which run,
                // configuration and settings it holds. A full disk here is met again, and reported, by the run itself.
                try { file.Flush(); }
                catch (IOException) { }
            }
            catch
            {
                file.Dispose();
                throw;
            }

            _outlet.Queue.Reserve(EncodedEventBound(_applied));
            var acquisition = new AcquisitionRun(plan, _digitizer, _provider, clock, _outlet, file, _options(_configuration), _log, OnRunEnded);
            _digitizer = null; // the run's thread owns it now
            _run = acquisition;
            _rateEvents = 0;
            _rateTimestamp = Stopwatch.GetTimestamp();
            _rateHz = 0;
            acquisition.Start();
            _log.Information("run {Run} started: {File}{Limit}", run, file.Path, eventLimit is { } n ? $", up to {n} events" : "");
            return new RunStarted(run, file.Path);
        }
    }

    /// <summary>Stops the run in progress with <paramref name="reason"/> and waits for its end; null when no run was going.</summary>
    public RunSummary? StopRun(string reason)
    {
        AcquisitionRun? run;
        lock (_gate) run = _run;
        if (run is null) return null;
        run.RequestStop(reason);
        return run.WaitForEnd(Timeout.InfiniteTimeSpan);
    }

    /// <summary>Asks the run in progress to end with <paramref name="reason"/> without waiting (e.g. from a Ctrl-C handler).</summary>
    public void RequestStop(string reason)
    {
        AcquisitionRun? run;
        lock (_gate) run = _run;
        run?.RequestStop(reason);
    }

    /// <summary>Waits for the run in progress to end on its own (event limit, failure); null after <paramref name="timeout"/>.</summary>
    public RunSummary? WaitForRunEnd(TimeSpan timeout)
    {
        AcquisitionRun? run;
        lock (_gate) run = _run;
        return run is null ? LastRun : run.WaitForEnd(timeout);
    }

    private void OnRunEnded(AcquisitionRun run, RunSummary summary)
    {
        lock (_gate)
        {
            _digitizer = run.TakeDigitizer();
            _lastRun = summary;
            if (ReferenceEquals(_run, run)) _run = null;
        }
        RunEnded?.Invoke(summary);
    }

    /// <summary>Closes the digitizer (run control's <c>reset</c>); the next <see cref="Configure"/> opens it again.</summary>
    public void CloseDevice()
    {
        lock (_gate)
        {
            if (_run is not null) throw new RunRefusedException($"run {_run.Run} is in progress; stop it first");
            CloseDeviceLocked();
            _applied = null;
            _configuration = null;
        }
    }

    /// <summary>The figures of <c>daq.status</c> and run control's <c>status</c>, now.</summary>
    public FrontEndStatus Status()
    {
        lock (_gate)
        {
            if (_run is { } run)
            {
                ulong events = run.Events;
                return new FrontEndStatus(_configuration is not null, run.Run, events, run.Missed, run.DeadTimeFraction, run.BytesWritten, run.FilePath,
                    run.DeviceState, _outlet.Dropped, TriggerRate(events), run.DeviceLosses, run.DeadTime, _lastRun);
            }
            var device = _digitizer is null ? DeviceState.Closed : DeviceState.Ok;
            return new FrontEndStatus(_configuration is not null, null, 0, 0, 0, 0, _lastRun?.File, device, _outlet.Dropped, 0, 0,
                new DeadTimeSummary(0, 0, 0, 0, 0), _lastRun);
        }
    }

    /// <summary>Events per wall-clock second, measured over at least half a second between calls (reset by <see cref="StartRun"/>).</summary>
    private double TriggerRate(ulong events)
    {
        long now = Stopwatch.GetTimestamp();
        double seconds = Stopwatch.GetElapsedTime(_rateTimestamp, now).TotalSeconds;
        if (seconds >= 0.5)
        {
            _rateHz = (events - _rateEvents) / seconds;
            _rateEvents = events;
            _rateTimestamp = now;
        }
        return _rateHz;
    }

    /// <summary>An upper bound of an <c>evt</c>'s encoded size with these settings (keys, calibration, samples).</summary>
    internal static int EncodedEventBound(AppliedSettings applied) =>
        EncodedEventBound(applied.Channels.Count(c => c.Enabled), applied.RecordLength);

    /// <summary>An upper bound of an <c>evt</c>'s encoded size for this many enabled channels of this record length.</summary>
    internal static int EncodedEventBound(int enabledChannels, int recordLength) => 256 + enabledChannels * (96 + 2 * recordLength);

    /// <summary>The clock a provider's devices keep time by: the simulator's (maybe accelerated), else the wall clock.</summary>
    internal static IDaqClock ClockOf(IDigitizerProvider provider) => provider switch
    {
        SimulatedHs4Provider simulated => simulated.Clock,
        IClockedDigitizerProvider clocked => clocked.Clock,
        _ => RealTimeClock.Instance,
    };

    /// <summary>What decides whether a provider can be kept: the driver and the whole simulator section.</summary>
    private static byte[] ProviderKey(DaqConfiguration configuration)
    {
        var map = DaqConfigurationMap.ToMap(configuration);
        var writer = new MessagePackWriter();
        MessagePackValue.Write(writer, new Dictionary<string, object?>
        {
            ["driver"] = configuration.Driver.ToString(),
            ["simulator"] = configuration.Driver == DigitizerDriver.Simulator ? map["simulator"] : null,
        });
        return writer.WrittenSpan.ToArray();
    }

    private void CloseDeviceLocked()
    {
        var d = _digitizer;
        _digitizer = null;
        if (d is null) return;
        try
        {
            d.Disarm();
            d.Dispose();
        }
        catch (Exception e)
        {
            _log.Debug("closing the digitizer: {Error}", e.Message);
        }
    }

    private void DisposeProviderLocked()
    {
        if (_provider is IDisposable disposable) disposable.Dispose();
        _provider = null;
        _providerKey = null;
    }

    /// <summary>Stops a run still going (reason "shutdown"), closes the digitizer and the provider.</summary>
    public void Dispose()
    {
        StopRun(RunEndReasons.Shutdown);
        lock (_gate)
        {
            CloseDeviceLocked();
            DisposeProviderLocked();
        }
    }
}

/// <summary>A run that has started: its number and file.</summary>
public sealed record RunStarted(uint Run, string File);

/// <summary>The front end's figures at one moment (the run's while one is going).</summary>
public sealed record FrontEndStatus(
    bool Configured,
    uint? Run,
    ulong Events,
    ulong Missed,
    double DeadTimeFraction,
    long BytesWritten,
    string? File,
    DeviceState DeviceState,
    long Dropped,
    double TriggerRateHz,
    int DeviceLosses,
    DeadTimeSummary DeadTime,
    RunSummary? LastRun)
{
    /// <summary>The <c>daq.status</c> heartbeat for run state <paramref name="state"/>.</summary>
    public DaqStatusMessage ToMessage(string state, long timeNs) => new()
    {
        State = state,
        Run = Run,
        TriggerRateHz = TriggerRateHz,
        Events = Events,
        Missed = Missed,
        DeadTimeFraction = DeadTimeFraction,
        BytesWritten = BytesWritten,
        DeviceState = DeviceState.ToWire(),
        Dropped = (ulong)Math.Max(0, Dropped),
        TimeNs = timeNs,
        Extras = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["file"] = File,
            ["device_losses"] = (long)DeviceLosses,
            ["dead_time_median_s"] = DeadTime.MedianSeconds,
            ["dead_time_p99_s"] = DeadTime.P99Seconds,
        },
    };
}
