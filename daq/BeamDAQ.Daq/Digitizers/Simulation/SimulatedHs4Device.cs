using BeamDAQ.Daq.Digitizers.Simulation.Beam;
using BeamDAQ.Daq.Digitizers.Simulation.Faults;
using BeamDAQ.Daq.Digitizers.Simulation.Physics;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Daq.Digitizers.Simulation;

/// <summary>
/// The simulated instrument on the simulated USB bus, as opposed to an opened handle to it: it owns the bunch
/// train, the beam, the random streams, the event count and the fault schedule, all of which survive a
/// removal and a re-open — just as the beam keeps coming while the HS4 is unplugged.
/// </summary>
internal sealed class SimulatedHs4Device
{
    private readonly object _lock = new();
    private readonly HashSet<FaultSpec> _firedFaults = [];
    private readonly Dictionary<int, int> _missingRemaining = [];
    private DateTimeOffset? _removedUntil;
    private bool _open;
    private long _eventsDelivered, _triggersSuppressed, _timeoutTriggers, _slowReads, _spuriousTriggers, _spuriousLost;
    private TriggerStormFault? _storm;
    private DateTimeOffset _stormStart;
    private long _stormNext;
    private int _removals;

    public SimulatedHs4Device(SimulatorSettings settings, IDaqClock clock, IBeamIntensitySource beam, Random random)
    {
        Settings = settings;
        Clock = clock;
        Beam = beam;
        // Independent, reproducible streams: a change in how often one is used does not shift the others.
        BeamRandom = new Random(random.Next());
        SignalRandom = new Random(random.Next());
        Bunches = new BunchClock(settings.BunchRateHz, settings.BunchJitter, clock.UtcNow, new Random(random.Next()));
        Multiplicity = new ElectronMultiplicity(settings.Overdispersion);
        Deposits = CreateDepositModel(settings);
        Identity = new DigitizerIdentity("Handyscope HS4-50 (simulated)", settings.SerialNumber, $"BeamDAQ simulator {SoftwareVersion.Current}");
    }

    public SimulatorSettings Settings { get; }
    public IDaqClock Clock { get; }
    public IBeamIntensitySource Beam { get; }
    public Random BeamRandom { get; }
    public Random SignalRandom { get; }
    public BunchClock Bunches { get; }
    public ElectronMultiplicity Multiplicity { get; }
    public IDepositModel Deposits { get; }
    public DigitizerIdentity Identity { get; }

    /// <summary>Increases at every removal: handles opened before it are dead.</summary>
    public int Generation { get; private set; }

    /// <summary>The trigger number (from 1) the device delivers next.</summary>
    public long NextEventNumber => Interlocked.Read(ref _eventsDelivered) + 1;

    public static IDepositModel CreateDepositModel(SimulatorSettings s)
    {
        if (s.Response == DepositResponse.Template)
        {
            if (string.IsNullOrEmpty(s.TemplateFile)) throw new ArgumentException("the template response needs a template file", nameof(s));
            return TemplateDeposit.Load(s.TemplateFile);
        }
        var material = AbsorberMaterial.Find(s.Material)
            ?? throw new ArgumentException($"unknown detector material '{s.Material}'; known: {string.Join(", ", AbsorberMaterial.Known.Select(m => m.Name))}", nameof(s));
        return new TruncatedLandauDeposit(LandauVavilov.For(material, s.ThicknessMicrometres, s.BeamEnergyMeV));
    }

    /// <summary>On the bus: not removed, or the removal time has passed.</summary>
    public bool IsPresent
    {
        get
        {
            lock (_lock)
            {
                if (_removedUntil is { } until && Clock.UtcNow >= until) _removedUntil = null;
                return _removedUntil is null;
            }
        }
    }

    public DateTimeOffset? RemovedUntil { get { lock (_lock) return _removedUntil; } }

    /// <summary>Opens the device once (as libtiepie does); returns the generation the handle belongs to, or null.</summary>
    public int? TryOpen()
    {
        lock (_lock)
        {
            if (_removedUntil is { } until)
            {
                if (Clock.UtcNow < until) return null;
                _removedUntil = null;
            }
            if (_open) return null;
            _open = true;
            return Generation;
        }
    }

    public void Close(int generation)
    {
        lock (_lock)
            if (generation == Generation) _open = false;
    }

    public bool IsAlive(int generation)
    {
        lock (_lock) return generation == Generation;
    }

    /// <summary>The device drops off the bus at <paramref name="at"/> for <paramref name="duration"/>.</summary>
    public void Remove(DateTimeOffset at, TimeSpan duration)
    {
        lock (_lock)
        {
            Generation++;
            _open = false;
            _removedUntil = at + duration;
            _removals++;
        }
    }

    public DeviceRemovalFault? PendingRemoval(long eventNumber)
    {
        if (Settings.Faults.IsEmpty) return null; // the common case: no per-event work
        lock (_lock)
            return Settings.Faults.Faults.OfType<DeviceRemovalFault>()
                .FirstOrDefault(f => f.AtEvent == eventNumber && !_firedFaults.Contains(f));
    }

    public void MarkFired(FaultSpec fault)
    {
        lock (_lock) _firedFaults.Add(fault);
    }

    /// <summary>True when the next bunch for <paramref name="eventNumber"/> must produce no trigger; consumes one.</summary>
    public bool ConsumeMissingTrigger(long eventNumber)
    {
        if (Settings.Faults.IsEmpty) return false;
        lock (_lock)
        {
            int key = (int)Math.Min(int.MaxValue, eventNumber);
            if (!_missingRemaining.TryGetValue(key, out int remaining))
            {
                var faults = Settings.Faults.Faults.OfType<MissingTriggerFault>().Where(f => f.AtEvent == eventNumber && !_firedFaults.Contains(f)).ToList();
                remaining = faults.Sum(f => f.Count);
                foreach (var f in faults) _firedFaults.Add(f);
            }
            if (remaining <= 0)
            {
                _missingRemaining[key] = 0;
                return false;
            }
            _missingRemaining[key] = remaining - 1;
            _triggersSuppressed++;
            return true;
        }
    }

    /// <summary>Extra read latency for <paramref name="eventNumber"/> (sum of the slow-read faults covering it).</summary>
    public TimeSpan ReadLatency(long eventNumber)
    {
        var latency = TimeSpan.Zero;
        if (Settings.Faults.IsEmpty) return latency;
        foreach (var f in Settings.Faults.Faults.OfType<SlowReadFault>())
            if (eventNumber >= f.AtEvent && eventNumber < f.AtEvent + (long)f.Count) latency += f.Latency;
        if (latency > TimeSpan.Zero) Interlocked.Increment(ref _slowReads);
        return latency;
    }

    /// <summary>
    /// The next spurious trigger of a trigger storm at or after <paramref name="earliest"/> (when the device is armed),
    /// or null. A storm starts at the bunch of its event (<paramref name="bunchTime"/>); spurious triggers before
    /// <paramref name="earliest"/> found nobody armed and are lost, like bunches.
    /// </summary>
    public DateTimeOffset? NextSpuriousTrigger(long eventNumber, DateTimeOffset bunchTime, DateTimeOffset earliest)
    {
        if (Settings.Faults.IsEmpty) return null;
        lock (_lock)
        {
            while (true)
            {
                if (_storm is null)
                {
                    var next = Settings.Faults.Faults.OfType<TriggerStormFault>().FirstOrDefault(f => eventNumber >= f.AtEvent && !_firedFaults.Contains(f));
                    if (next is null) return null;
                    _firedFaults.Add(next);
                    (_storm, _stormStart, _stormNext) = (next, bunchTime, 0);
                }
                var at = _stormStart + TimeSpan.FromSeconds((_stormNext + 0.5) / _storm.RateHz);
                if (at >= _stormStart + _storm.Duration)
                {
                    _storm = null; // over; another storm may already be due
                    continue;
                }
                if (at >= earliest) return at;
                _stormNext++;
                _spuriousLost++;
            }
        }
    }

    /// <summary>The spurious trigger <see cref="NextSpuriousTrigger"/> returned has triggered the device.</summary>
    public void TakeSpuriousTrigger()
    {
        lock (_lock)
        {
            _stormNext++;
            _spuriousTriggers++;
        }
    }

    public void CountDelivered() => Interlocked.Increment(ref _eventsDelivered);
    public void CountTimeoutTrigger() => Interlocked.Increment(ref _timeoutTriggers);

    public SimulatorCounters Counters()
    {
        lock (_lock)
            return new SimulatorCounters(Interlocked.Read(ref _eventsDelivered), Bunches.Lost, _triggersSuppressed,
                Interlocked.Read(ref _timeoutTriggers), _removals, Interlocked.Read(ref _slowReads), _spuriousTriggers, _spuriousLost);
    }
}
