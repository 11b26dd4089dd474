using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Simulation;

namespace BeamDAQ.Daq.Acquisition.Recovery;

/// <summary>
/// The device's own count of triggers at the event just read, when it keeps one. The simulator does: its bunch clock
/// numbers every bunch (<see cref="SimulatedBunch.BunchIndex"/>), across removals and reopens, as a facility's bunch
/// counter would. The HS4 does not (libtiepie-hw reports no trigger count), so for it missed triggers are estimated.
/// </summary>
internal static class DeviceTriggerCounter
{
    public static long? Read(IDigitizer? digitizer) =>
        digitizer is SimulatedHs4 { LastEvent: { TimeoutTriggered: false, BunchIndex: > 0 } bunch } ? bunch.BunchIndex : null;
}
