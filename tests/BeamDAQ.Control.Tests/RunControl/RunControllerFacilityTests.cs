using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.RunControl.Orchestration;
using BeamDAQ.Control.RunControl.Settings;
using BeamDAQ.Control.SlowControl;
using BeamDAQ.Control.Tests.RunControl.Support;
using BeamDAQ.Protocol.Hosting;
using Serilog.Core;

namespace BeamDAQ.Control.Tests.RunControl;

/// <summary>Run starts against the simulated facility on real TCP ports, its time running 50× faster so jaws settle quickly.</summary>
public sealed class RunControllerFacilityTests : IAsyncLifetime
{
    private FacilitySimulator _sim = null!;
    private SlowControlDevices _devices = null!;
    private FacilityConfig _config = null!;

    public Task InitializeAsync()
    {
        _config = FacilityConfigLoader.Defaults();
        _config.SlowControl.ReadTimeoutMs = 2000;
        var clock = new AcceleratedClock(SystemClock.Instance, 50);
        _sim = FacilitySimulator.Start(_config, clock, Logger.None, basePortOverride: 0, seed: 11);
        _devices = SlowControlDevices.Create(_config, _sim.Endpoints, clock, Logger.None);
        return Task.CompletedTask;
    }

    private RunControlHarness Harness() => new(facility: new FacilityReader(_devices, "diamond 4x4 mm2 500 um"));

    [Fact]
    public void WhenAnExitApertureIsAskedThenTheJawsSettleThereAndTheRunRecordsApertureEnergyHvAndTemperatures()
    {
        using var h = Harness();

        var outcome = h.Controller.Start(new StartRequest { Comment = "Fig. 6a", ExitApertureXMm = 1.2, ExitApertureYMm = 3.1 });

        Assert.True(outcome.Started, outcome.Error);
        Assert.Empty(outcome.Warnings);
        var s = h.Catalog.GetRun(1).Settings;
        Assert.Equal(1.2, s.ExitCollimator!.ApertureXMm, 0.02);
        Assert.Equal(3.1, s.ExitCollimator.ApertureYMm, 0.02);
        Assert.Equal(2.6, s.EntranceCollimator!.ApertureXMm, 0.02);
        Assert.Equal(1.8, s.EntranceCollimator.ApertureYMm, 0.02);
        Assert.NotNull(s.ExitCollimator.JawLeftMm);
        Assert.Equal(2.7, s.BeamEnergyMeV!.Value, 0.01);
        Assert.Equal(11.869, s.MagnetCurrentA!.Value, 0.01);
        Assert.Equal(520.9, s.MagnetFieldGauss!.Value, 0.5);
        Assert.Equal(500, s.HvSetVolts);
        Assert.Equal(500, s.HvMeasuredVolts!.Value, 1);
        Assert.Equal("diamond 4x4 mm2 500 um", s.Detector);
        var temperatures = h.Catalog.GetSlowControl(1).Where(r => r.Quantity.StartsWith("temperature.")).ToList();
        Assert.Equal(4, temperatures.Count);
        Assert.InRange(temperatures.Single(r => r.Quantity == "temperature.diamond").Value, 21, 23);
    }

    [Fact]
    public void WhenARunEndsThenEachTemperatureHasAPointAtItsStartAndItsEnd()
    {
        using var h = Harness();
        h.Controller.Start(new StartRequest());
        h.Clock.Advance(TimeSpan.FromMinutes(3));

        h.Controller.Stop();

        var diamond = h.Catalog.GetSlowControl(1).Where(r => r.Quantity == "temperature.diamond").ToList();
        Assert.Equal(2, diamond.Count);
        Assert.True(diamond[1].TimeUtc > diamond[0].TimeUtc);
    }

    [Fact]
    public void WhenARunStartsThenTheMetaMapAndTheSimulatorOverridesCarryTheFacilitysBeam()
    {
        using var h = Harness();

        var outcome = h.Controller.Start(new StartRequest { ExitApertureXMm = 9.9, ExitApertureYMm = 20.6 });
        Assert.True(outcome.Started && outcome.Warnings.Count == 0, outcome.Error + string.Join("; ", outcome.Warnings));

        var meta = h.Daq.LastMeta!;
        Assert.Equal(9.9, (double)meta["exit_aperture_x_mm"]!, 0.02);
        Assert.Equal(20.6, (double)meta["exit_aperture_y_mm"]!, 0.02);
        Assert.Equal(2.7, (double)meta["beam_energy_mev"]!, 0.01);
        Assert.True(meta.ContainsKey("temperatures_c"));
        var beam = (IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)h.Daq.LastConfigOverrides!["simulator"]!)["beam"]!;
        Assert.Equal(8.7, (double)beam["lambda"]!, 0.05);   // the paper's λ for 9.9 × 20.6 mm²
        Assert.Equal(2.7, (double)beam["energy_mev"]!, 0.01);
    }

    [Fact]
    public void WhenTheCollimatorDoesNotAnswerThenTheStartIsRefusedNamingItAndNoRunIsAllocated()
    {
        using var h = Harness();
        _sim.Server(FacilityDevice.Collimators).Unresponsive = true;

        var outcome = h.Controller.Start(new StartRequest { ExitApertureXMm = 6.9, ExitApertureYMm = 3.1 });

        Assert.False(outcome.Started);
        Assert.Equal(RefusalKind.Fault, outcome.Refusal);
        Assert.StartsWith("exit collimator: setting 6.9 × 3.1 mm²:", outcome.Error);
        Assert.Null(h.Catalog.KnownRuns());
        Assert.Equal(0, h.Daq.Executed("start"));
    }

    [Fact]
    public void WhenTheHvSupplyDoesNotAnswerThenTheRunStartsAnywayWithoutHvAndSaysWhatIsMissing()
    {
        using var h = Harness();
        _sim.Server(FacilityDevice.HighVoltage).Unresponsive = true;

        var outcome = h.Controller.Start(new StartRequest());

        Assert.True(outcome.Started, outcome.Error);
        Assert.Contains(outcome.Warnings, w => w.StartsWith("facility: HV set voltage:"));
        var s = h.Catalog.GetRun(1).Settings;
        Assert.Null(s.HvSetVolts);
        Assert.NotNull(s.BeamEnergyMeV);
    }

    public async Task DisposeAsync()
    {
        await _devices.DisposeAsync();
        await _sim.DisposeAsync();
    }
}
