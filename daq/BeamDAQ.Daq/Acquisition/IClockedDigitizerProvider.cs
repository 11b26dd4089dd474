using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Timing;

namespace BeamDAQ.Daq.Acquisition;

/// <summary>A provider whose devices keep time by a clock of their own (wrappers around the simulator); the run waits on it too.</summary>
public interface IClockedDigitizerProvider : IDigitizerProvider
{
    IDaqClock Clock { get; }
}
