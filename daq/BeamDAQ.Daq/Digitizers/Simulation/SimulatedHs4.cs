using BeamDAQ.Daq.Digitizers.Hs4;
using BeamDAQ.Daq.Digitizers.Simulation.Signal;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Daq.Digitizers.Simulation;

/// <summary>
/// An opened simulated HS4, behind the same <see cref="IDigitizer"/> interface as the real driver and bound
/// by the same limits (<see cref="Hs4Limits"/>). Per bunch it samples n ~ Poisson(λ) electrons (or the
/// over-dispersed variant), sums their deposits, shapes the pulse, adds baseline and noise, quantises and
/// clips. Time is the injected <see cref="Timing.IDaqClock"/>: real time, accelerated, or none at all.
/// After a simulated removal this handle is dead for good; open the device again through the provider.
/// </summary>
public sealed class SimulatedHs4 : IDigitizer
{
    private readonly SimulatedHs4Device _device;
    private readonly int _generation;
    private AppliedSettings? _applied;
    private WaveformSynthesizer? _synthesizer;
    private PrecomputedEvents? _precomputed;
    private bool _armed, _dataReady, _disposed;
    private DateTimeOffset _armTime;
    private Pending _pending;

    private readonly record struct Pending(SimulatedBunch Bunch, int ValidPreSamples, EventFlags Flags);

    internal SimulatedHs4(SimulatedHs4Device device, int generation)
    {
        _device = device;
        _generation = generation;
    }

    public DigitizerIdentity Identity => _device.Identity;

    /// <summary>The truth behind the last event read (null before the first).</summary>
    public SimulatedBunch? LastEvent { get; private set; }

    public AppliedSettings? Applied => _applied;

    public AppliedSettings Configure(DigitizerSettings requested)
    {
        EnsureUsable();
        Hs4Limits.ThrowIfInvalid(requested);
        var sim = _device.Settings;
        var channels = requested.Channels.OrderBy(c => c.Id).Select(c =>
        {
            double range = Hs4Limits.SnapRangeVolts(c.RangeVolts)!.Value;
            return new AppliedChannel(c.Id, c.Enabled, range, c.Coupling, new AdcScale(range, requested.ResolutionBits).Lsb, 0);
        }).ToArray();
        int pre = Hs4Limits.PreSamples(requested.PreSampleRatio, requested.RecordLength);
        var applied = new AppliedSettings(
            Identity,
            requested.ResolutionBits,
            Hs4Limits.AppliedSampleRateHz(requested.SampleRateHz, requested.ResolutionBits),
            requested.RecordLength,
            (double)pre / requested.RecordLength,
            channels,
            Hs4Limits.ExternalTriggerInput,
            requested.TriggerEdge,
            requested.TriggerTimeout,
            requested.TriggerHoldOff);

        _synthesizer = new WaveformSynthesizer(applied, sim, _device.SignalRandom);
        _precomputed = sim.PrecomputedWaveforms > 0 ? new PrecomputedEvents(applied, sim.PrecomputedWaveforms, this) : null;
        _applied = applied;
        _armed = _dataReady = false;
        return applied;
    }

    public void Arm()
    {
        EnsureUsable();
        if (_applied is null) throw new InvalidOperationException("Arm before Configure: the digitizer has no settings");
        _armed = true;
        _dataReady = false;
        _armTime = _device.Clock.UtcNow;
    }

    public WaitOutcome WaitForData(TimeSpan watchdog, CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_device.IsAlive(_generation)) return WaitOutcome.DeviceRemoved;
        if (!_armed) throw new InvalidOperationException("WaitForData before Arm: nothing is armed");
        if (_dataReady) return WaitOutcome.DataReady;

        var applied = _applied!;
        var clock = _device.Clock;
        var deadline = clock.UtcNow + watchdog;
        var earliest = _armTime + applied.TriggerHoldOff;
        double postSeconds = (applied.RecordLength - Hs4Limits.PreSamples(applied.PreSampleRatio, applied.RecordLength)) / applied.SampleRateHz;

        while (true)
        {
            if (cancellation.IsCancellationRequested) return WaitOutcome.Cancelled;
            long eventNumber = _device.NextEventNumber;
            var (bunchIndex, bunchTime) = _device.Bunches.PeekAtOrAfter(earliest);

            // A finite trigger time-out fires before a late bunch: the HS4 then records whatever is on the input.
            if (applied.TriggerTimeout is { } timeout && _armTime + timeout < bunchTime)
            {
                var timeoutAt = _armTime + timeout;
                var readyAt = timeoutAt + TimeSpan.FromSeconds(postSeconds);
                if (readyAt > deadline) return WaitUntilDeadline(deadline, cancellation);
                if (!clock.WaitUntil(readyAt, cancellation)) return WaitOutcome.Cancelled;
                _device.CountTimeoutTrigger();
                return Ready(new SimulatedBunch(0, timeoutAt, 0, 0, 0, 0, TimeoutTriggered: true), timeoutAt, EventFlags.TriggerTimeout);
            }

            // A trigger storm: a spurious trigger before the next bunch triggers the device first (no beam in it).
            if (_device.NextSpuriousTrigger(eventNumber, bunchTime, earliest) is { } spurious && spurious < bunchTime)
            {
                var spuriousReadyAt = spurious + TimeSpan.FromSeconds(postSeconds);
                if (spuriousReadyAt > deadline) return WaitUntilDeadline(deadline, cancellation);
                if (!clock.WaitUntil(spuriousReadyAt, cancellation)) return WaitOutcome.Cancelled;
                _device.TakeSpuriousTrigger();
                return Ready(new SimulatedBunch(0, spurious, 0, 0, 0, 0, TimeoutTriggered: false), spurious, EventFlags.None);
            }

            if (_device.PendingRemoval(eventNumber) is { } removal)
            {
                if (bunchTime > deadline) return WaitUntilDeadline(deadline, cancellation);
                if (!clock.WaitUntil(bunchTime, cancellation)) return WaitOutcome.Cancelled;
                _device.MarkFired(removal);
                _device.Bunches.Take();
                _device.Remove(bunchTime, removal.Duration);
                _armed = false;
                return WaitOutcome.DeviceRemoved;
            }

            var dataReadyAt = bunchTime + TimeSpan.FromSeconds(postSeconds);
            if (dataReadyAt > deadline) return WaitUntilDeadline(deadline, cancellation);
            if (!clock.WaitUntil(bunchTime, cancellation)) return WaitOutcome.Cancelled;
            if (_device.ConsumeMissingTrigger(eventNumber))
            {
                _device.Bunches.Take();
                continue;
            }
            if (!clock.WaitUntil(dataReadyAt, cancellation)) return WaitOutcome.Cancelled;
            _device.Bunches.Take();
            return Ready(SampleBunch(bunchIndex, bunchTime), bunchTime, EventFlags.None);
        }
    }

    public void Read(AcquiredBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        EnsureUsable();
        if (!_dataReady) throw new InvalidOperationException("Read without data: WaitForData has not returned DataReady for this arm");
        var applied = _applied!;
        if (block.Channels.Count != applied.Channels.Count(c => c.Enabled)
            || (block.Channels.Count > 0 && block.SamplesOf(0).Length < applied.RecordLength))
            throw new ArgumentException("the block was allocated for other settings than the ones applied (channels or record length differ)", nameof(block));

        long eventNumber = _device.NextEventNumber;
        var latency = _device.ReadLatency(eventNumber);
        if (latency > TimeSpan.Zero) _device.Clock.WaitUntil(_device.Clock.UtcNow + latency, CancellationToken.None);

        var pending = _pending;
        if (_precomputed is not null)
            LastEvent = _precomputed.CopyTo(block, eventNumber, pending.ValidPreSamples, pending.Flags) with
            {
                BunchIndex = pending.Bunch.BunchIndex,
                TriggerTime = pending.Bunch.TriggerTime,
            };
        else
        {
            _synthesizer!.Fill(block, pending.Bunch.PeakVolts, pending.ValidPreSamples, pending.Flags);
            LastEvent = pending.Bunch;
        }
        _device.CountDelivered();
        _dataReady = false;
        _armed = false; // block mode: one block per start
    }

    public void Disarm()
    {
        _armed = false;
        _dataReady = false;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _device.Close(_generation);
    }

    /// <summary>Samples a bunch's electrons and deposit (also used to fill the precomputed pool).</summary>
    internal SimulatedBunch SampleBunch(long bunchIndex, DateTimeOffset time)
    {
        var sim = _device.Settings;
        double lambda = _device.Beam.MeanElectronsPerBunch(time);
        int electrons = _device.Multiplicity.Sample(lambda, _device.BeamRandom);
        double deposit = 0;
        for (int i = 0; i < electrons; i++) deposit += _device.Deposits.SampleMeV(_device.BeamRandom);
        return new SimulatedBunch(bunchIndex, time, lambda, electrons, deposit, sim.GainVoltsPerMeV * deposit, TimeoutTriggered: false);
    }

    internal WaveformSynthesizer Synthesizer => _synthesizer!;

    private WaitOutcome Ready(SimulatedBunch bunch, DateTimeOffset triggerTime, EventFlags flags)
    {
        var applied = _applied!;
        int pre = Hs4Limits.PreSamples(applied.PreSampleRatio, applied.RecordLength);
        // Pre-samples fill from the moment of arming: a trigger soon after Arm leaves some of them unrecorded.
        long recorded = (long)Math.Floor((triggerTime - _armTime).TotalSeconds * applied.SampleRateHz);
        int validPre = (int)Math.Clamp(recorded, 0, pre);
        if (validPre < pre) flags |= EventFlags.IncompletePreSamples;
        _pending = new Pending(bunch, validPre, flags);
        _dataReady = true;
        return WaitOutcome.DataReady;
    }

    private WaitOutcome WaitUntilDeadline(DateTimeOffset deadline, CancellationToken cancellation) =>
        _device.Clock.WaitUntil(deadline, cancellation) ? WaitOutcome.WatchdogExpired : WaitOutcome.Cancelled;

    private void EnsureUsable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_device.IsAlive(_generation))
            throw new DigitizerGoneException($"simulated HS4 {Identity.SerialNumber} was removed from the bus (injected fault); open it again once it is back");
    }
}
