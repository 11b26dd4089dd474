using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.Digitizers.Simulation.Beam;
using BeamDAQ.Daq.Digitizers.Simulation.Faults;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Daq.Tests.Digitizers;

public sealed class SimulatedHs4Tests
{
    [Fact]
    public void WhenConfiguredThenRangesSnapUpAndTheAppliedSampleRateIsAClockDivider()
    {
        using var sim = new SimulatorFixture(digitizer: new DigitizerSettings(14, 3e6, 1000, 0.3,
            [new ChannelSettings(1, true, 0.5), new ChannelSettings(2, true, 30, Coupling.AC)]));

        Assert.Equal([0.8, 40.0], sim.Applied.Channels.Select(c => c.RangeVolts));
        Assert.Equal(2 * 0.8 / 16384, sim.Applied.Channels[0].VoltsPerCode, 15);
        Assert.Equal(50e6 / 17, sim.Applied.SampleRateHz);
        Assert.Equal(0.3, sim.Applied.PreSampleRatio, 12);
        Assert.Null(sim.Applied.TriggerTimeout);
        Assert.Equal("EXT1", sim.Applied.TriggerInput);
    }

    [Theory]
    [InlineData(14, 50e6, 1000, 0.2, 0.8, "sample_rate_hz", "3.125 MSa/s")]
    [InlineData(12, 50e6, 200_000, 0.2, 0.8, "record_length", "131072")]
    [InlineData(12, 50e6, 1000, -0.1, 0.8, "pre_sample_ratio", "0 to 1")]
    [InlineData(12, 50e6, 1000, 0.2, 100, "channels[0].range_v", "80 V")]
    [InlineData(16, 1e6, 1000, 0.2, 0.8, "sample_rate_hz", "195.313 kSa/s")]
    public void WhenASettingIsOutsideTheHs4LimitsThenConfigureRejectsItQuotingTheLimit(int bits, double rate, int length, double pre, double range, string key, string limit)
    {
        using var sim = new SimulatorFixture();
        var e = Assert.Throws<DigitizerSettingsException>(() =>
            sim.Digitizer.Configure(new DigitizerSettings(bits, rate, length, pre, [new ChannelSettings(1, true, range)])));
        Assert.Equal(key, e.Key);
        Assert.Contains(limit, e.Message);
    }

    [Fact]
    public void WhenThePulseExceedsTheRangeThenCodesClipAtTheEndCodeAndTheChannelIsFlaggedOverRange()
    {
        // 10 V/MeV makes every electron's pulse (≈2 V) exceed the ±0.2 V range.
        using var sim = new SimulatorFixture(new SimulatorSettings { Lambda = 5, GainVoltsPerMeV = 10 },
            SimulatorFixture.SmallRecord(length: 400, range: 0.2));
        for (int i = 0; i < 20; i++)
        {
            var bunch = sim.AcquireEvent();
            var codes = sim.Block.SamplesOf(0).AsSpan(0, sim.Block.SampleCount);
            if (bunch.Electrons == 0)
            {
                Assert.False(sim.Block.Flags.HasFlag(EventFlags.OverRangeChannel1));
                continue;
            }
            Assert.True(sim.Block.Flags.HasFlag(EventFlags.OverRangeChannel1), $"event with {bunch.Electrons} electrons must be flagged");
            Assert.Equal(2047, codes.ToArray().Max());
        }
    }

    [Fact]
    public void WhenSamplesAreQuantisedThenThePedestalSitsAtTheBaselineInCodesOfTheRangesLsb()
    {
        using var sim = new SimulatorFixture(new SimulatorSettings { Lambda = 0, BaselineVolts = 0.01, WhiteNoiseVolts = 0, PinkNoiseVolts = 0 },
            SimulatorFixture.SmallRecord(length: 100, range: 0.2, bits: 16, rate: 100e3));
        sim.AcquireEvent();
        // 10 mV on ±0.2 V at 16 bit: lsb = 6.1035 µV, 0.01 / lsb = 1638.4 → 1638 everywhere.
        Assert.All(sim.Block.SamplesOf(0).Take(sim.Block.SampleCount), c => Assert.Equal(1638, c));
        Assert.Equal(EventFlags.None, sim.Block.Flags);
    }

    [Fact]
    public void WhenADepositIsMadeThenThePulsePeakIsGainTimesDepositAboveTheBaseline()
    {
        using var sim = new SimulatorFixture(new SimulatorSettings { Lambda = 3, WhiteNoiseVolts = 0, PinkNoiseVolts = 0, BaselineVolts = 0, ShapingTimeSeconds = 1e-6 },
            SimulatorFixture.SmallRecord(length: 1000, range: 0.8, bits: 12, rate: 50e6));
        for (int i = 0; i < 30; i++)
        {
            var bunch = sim.AcquireEvent();
            double lsb = sim.Applied.Channels[0].VoltsPerCode;
            double peak = sim.Block.SamplesOf(0).Take(sim.Block.SampleCount).Max() * lsb;
            // At 50 MSa/s a 4 µs-peaking pulse is sampled every 20 ns: the top sample is the peak within quantisation.
            Assert.Equal(bunch.PeakVolts, peak, Math.Max(lsb, 0.002 * bunch.PeakVolts));
            Assert.Equal(0.053 * bunch.DepositMeV, bunch.PeakVolts, 12);
        }
    }

    [Fact]
    public void WhenLambdaIs2Point2ThenTheZeroElectronFractionMatchesExpMinusLambdaWithin4Sigma()
    {
        const int bunches = 20_000;
        const double lambda = 2.2;
        using var sim = new SimulatorFixture(new SimulatorSettings { Lambda = lambda, Seed = 11 }, SimulatorFixture.SmallRecord(length: 32));
        int zero = 0;
        for (int i = 0; i < bunches; i++)
            if (sim.AcquireEvent().Electrons == 0) zero++;

        double p = Math.Exp(-lambda);
        double sigma = Math.Sqrt(p * (1 - p) / bunches);
        Assert.InRange((double)zero / bunches, p - 4 * sigma, p + 4 * sigma);
    }

    [Fact]
    public void WhenTheBeamSourceChangesLambdaThenTheNextBunchesFollowIt()
    {
        var beam = new AdjustableBeamIntensity(0);
        var clock = new VirtualClock();
        var provider = new SimulatedHs4Provider(new SimulatorSettings(), clock, beam);
        using var hs4 = provider.TryOpenSimulated(null)!;
        var applied = hs4.Configure(SimulatorFixture.SmallRecord());
        var block = new AcquiredBlock(applied);
        for (int i = 0; i < 20; i++)
        {
            hs4.Arm();
            hs4.WaitForData(TimeSpan.FromSeconds(1), CancellationToken.None);
            hs4.Read(block);
            Assert.Equal(0, hs4.LastEvent!.Electrons);
        }
        beam.Lambda = 50;
        hs4.Arm();
        hs4.WaitForData(TimeSpan.FromSeconds(1), CancellationToken.None);
        hs4.Read(block);
        Assert.Equal(50, hs4.LastEvent!.Lambda);
        Assert.True(hs4.LastEvent.Electrons > 20);
    }

    [Fact]
    public void WhenBunchesComeAt5HzThenEventsAre200msApartOnTheVirtualClockWithJitter()
    {
        using var sim = new SimulatorFixture(new SimulatorSettings { BunchJitter = TimeSpan.FromMilliseconds(0.5) });
        var times = Enumerable.Range(0, 50).Select(_ => sim.AcquireEvent().TriggerTime).ToArray();
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();
        Assert.All(gaps, g => Assert.InRange(g, 195, 205));
        Assert.Contains(gaps, g => Math.Abs(g - 200) > 0.01); // jittered, not a perfect comb
        Assert.Equal(0, sim.Provider.Counters.BunchesLost);
    }

    [Fact]
    public void WhenTheSeedIsTheSameThenTheEventsAreTheSame()
    {
        static short[][] Run()
        {
            using var sim = new SimulatorFixture(new SimulatorSettings { Seed = 5 }, SimulatorFixture.SmallRecord(length: 300));
            return Enumerable.Range(0, 10).Select(_ => { sim.AcquireEvent(); return sim.Block.SamplesOf(0).ToArray(); }).ToArray();
        }
        var a = Run();
        var b = Run();
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i]);
    }

    [Fact]
    public void WhenARemovalIsInjectedThenTheDeviceIsGoneForExactlyItsDurationOnTheInjectedClock()
    {
        using var sim = new SimulatorFixture(new SimulatorSettings { Faults = FaultPlan.Parse("remove@5:2s") });
        for (int i = 1; i <= 4; i++) sim.AcquireEvent();

        sim.Digitizer.Arm();
        Assert.Equal(WaitOutcome.DeviceRemoved, sim.Digitizer.WaitForData(TimeSpan.FromSeconds(2), CancellationToken.None));
        var removedAt = sim.Clock.UtcNow;
        Assert.Throws<DigitizerGoneException>(() => sim.Digitizer.Read(sim.Block));
        Assert.Throws<DigitizerGoneException>(sim.Digitizer.Arm);
        Assert.Equal(WaitOutcome.DeviceRemoved, sim.Digitizer.WaitForData(TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal(removedAt + TimeSpan.FromSeconds(2), sim.Provider.RemovedUntil);

        sim.Clock.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.Empty(sim.Provider.ListDevices());
        Assert.Null(sim.Provider.TryOpen("SIM00001"));

        sim.Clock.Advance(TimeSpan.FromTicks(1));
        Assert.Single(sim.Provider.ListDevices());
        sim.Reopen();
        var next = sim.AcquireEvent();
        Assert.Equal(5, sim.Provider.Counters.EventsDelivered);
        Assert.True(next.TriggerTime > removedAt + TimeSpan.FromSeconds(2));
        Assert.Equal(1, sim.Provider.Counters.Removals);
    }

    [Fact]
    public void WhenTheDeviceIsOpenThenItCannotBeOpenedTwice()
    {
        using var sim = new SimulatorFixture();
        Assert.Null(sim.Provider.TryOpen(null));
        sim.Digitizer.Dispose();
        using var again = sim.Provider.TryOpen("SIM00001");
        Assert.NotNull(again);
        Assert.Null(sim.Provider.TryOpen("OTHER"));
    }

    [Fact]
    public void WhenTriggersGoMissingThenTheNextEventComesFromALaterBunch()
    {
        using var sim = new SimulatorFixture(new SimulatorSettings { Faults = FaultPlan.Parse("missing@3x2") });
        var first = sim.AcquireEvent();
        var second = sim.AcquireEvent();
        var third = sim.AcquireEvent();
        Assert.Equal(first.BunchIndex + 1, second.BunchIndex);
        Assert.Equal(second.BunchIndex + 3, third.BunchIndex);
        Assert.Equal(2, sim.Provider.Counters.TriggersSuppressed);
    }

    [Fact]
    public void WhenTriggersAreMissingLongerThanTheWatchdogThenWaitReportsTheWatchdog()
    {
        using var sim = new SimulatorFixture(new SimulatorSettings { Faults = FaultPlan.Parse("missing@2x10") });
        sim.AcquireEvent();
        var start = sim.Clock.UtcNow;
        Assert.Equal(WaitOutcome.WatchdogExpired, sim.Acquire(TimeSpan.FromSeconds(1)));
        Assert.Equal(start + TimeSpan.FromSeconds(1), sim.Clock.UtcNow);
        sim.Digitizer.Disarm();
        var late = sim.AcquireEvent();
        Assert.True(late.TriggerTime >= start + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void WhenAReadIsSlowThenItTakesTheExtraLatencyAndTheBunchesMeanwhileAreLost()
    {
        using var sim = new SimulatorFixture(new SimulatorSettings { Faults = FaultPlan.Parse("slow@2:300ms") });
        sim.AcquireEvent();
        sim.Digitizer.Arm();
        sim.Digitizer.WaitForData(TimeSpan.FromSeconds(2), CancellationToken.None);
        var before = sim.Clock.UtcNow;
        sim.Digitizer.Read(sim.Block);
        Assert.Equal(before + TimeSpan.FromMilliseconds(300), sim.Clock.UtcNow);
        var second = sim.Digitizer.LastEvent!;
        var third = sim.AcquireEvent();
        Assert.Equal(second.BunchIndex + 2, third.BunchIndex);
        Assert.Equal(1, sim.Provider.Counters.BunchesLost);
        Assert.Equal(1, sim.Provider.Counters.SlowReads);
    }

    [Fact]
    public void WhenAFiniteTriggerTimeoutPassesWithoutBeamThenTheEventIsFlaggedAsTimeoutTriggered()
    {
        var digitizer = SimulatorFixture.SmallRecord() with { TriggerTimeout = TimeSpan.FromMilliseconds(100) };
        using var sim = new SimulatorFixture(new SimulatorSettings { BunchRateHz = 1 }, digitizer);
        var bunch = sim.AcquireEvent();
        Assert.True(bunch.TimeoutTriggered);
        Assert.True(sim.Block.Flags.HasFlag(EventFlags.TriggerTimeout));
        Assert.Equal(1, sim.Provider.Counters.TimeoutTriggers);
    }

    [Fact]
    public void WhenThePreTriggerWindowIsLongerThanTheTimeSinceArmingThenPreSamplesAreIncompleteAndFlagged()
    {
        // 100 % pre-trigger of 131072 samples at 195 kSa/s is 0.67 s, longer than the 0.2 s between bunches.
        var digitizer = new DigitizerSettings(16, 195312.5, 131072, 1.0, [new ChannelSettings(1, true, 0.8)]);
        using var sim = new SimulatorFixture(digitizer: digitizer);
        sim.AcquireEvent();
        Assert.True(sim.Block.Flags.HasFlag(EventFlags.IncompletePreSamples));
        Assert.InRange(sim.Block.ValidPreSamples, 38_000, 40_000); // ≈ 0.2 s × 195 kSa/s
        Assert.Equal(sim.Block.ValidPreSamples, sim.Block.SampleCount);
    }

    [Fact]
    public void WhenWaveformsArePrecomputedThenThePoolRepeats()
    {
        using var sim = new SimulatorFixture(new SimulatorSettings { PrecomputedWaveforms = 3 }, SimulatorFixture.SmallRecord(length: 200));
        var events = Enumerable.Range(0, 6).Select(_ => { sim.AcquireEvent(); return sim.Block.SamplesOf(0).ToArray(); }).ToArray();
        Assert.Equal(events[0], events[3]);
        Assert.Equal(events[2], events[5]);
        Assert.NotEqual(events[0], events[1]);
    }

    [Fact]
    public void WhenReadIsCalledWithoutDataThenItIsAnInvalidOperation()
    {
        using var sim = new SimulatorFixture();
        sim.Digitizer.Arm();
        Assert.Throws<InvalidOperationException>(() => sim.Digitizer.Read(sim.Block));
    }
}
