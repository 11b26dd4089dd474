using BeamDAQ.Daq.Configuration;
using BeamDAQ.Daq.Digitizers.Hs4;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.Digitizers.Simulation.Beam;
using BeamDAQ.Daq.Digitizers.Timing;

namespace BeamDAQ.Daq.Digitizers;

/// <summary>Creates the digitizer provider a configuration asks for (<c>digitizer.driver</c>).</summary>
public static class DigitizerProviderFactory
{
    /// <param name="configuration">The validated configuration.</param>
    /// <param name="beam">λ source for the simulator (null: <c>simulator.beam.lambda</c>).</param>
    /// <param name="clock">Simulation clock (null: by <c>simulator.pacing</c> — wall clock, or a virtual clock for <c>max</c>).</param>
    /// <returns>A <see cref="SimulatedHs4Provider"/> or an <see cref="Hs4Provider"/> (dispose it when done: it holds libtiepie).</returns>
    public static IDigitizerProvider Create(DaqConfiguration configuration, IBeamIntensitySource? beam = null, IDaqClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Driver == DigitizerDriver.Hs4) return new Hs4Provider();
        return clock is null
            ? SimulatedHs4Provider.Create(configuration.Simulator, beam)
            : new SimulatedHs4Provider(configuration.Simulator, clock, beam);
    }
}
