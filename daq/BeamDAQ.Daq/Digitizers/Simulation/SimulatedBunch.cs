namespace BeamDAQ.Daq.Digitizers.Simulation;

/// <summary>
/// The truth behind one simulated event, for tests and validation: which bunch, its λ, how many electrons it
/// carried, what they deposited and the pulse height that made. A time-out trigger has no bunch (index 0).
/// </summary>
public sealed record SimulatedBunch(
    long BunchIndex,
    DateTimeOffset TriggerTime,
    double Lambda,
    int Electrons,
    double DepositMeV,
    double PeakVolts,
    bool TimeoutTriggered);

/// <summary>Running counts of what the simulated device did (thread-safe snapshot via the provider).</summary>
public sealed record SimulatorCounters(
    long EventsDelivered,
    long BunchesLost,
    long TriggersSuppressed,
    long TimeoutTriggers,
    int Removals,
    long SlowReads,
    long SpuriousTriggers = 0,
    long SpuriousTriggersLost = 0);
