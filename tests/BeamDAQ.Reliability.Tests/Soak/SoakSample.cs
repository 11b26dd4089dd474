namespace BeamDAQ.Reliability.Tests.Soak;

/// <summary>
/// The chain after one run of the soak, idle again: the run's figures and each process's resident memory and open
/// descriptors (the same state every time, so growth from run to run is a leak, not a phase).
/// </summary>
public sealed record SoakSample(
    int Index, long Run, long Events, ulong Missed, long PublicationsDropped, double Seconds,
    long DaqRss, int DaqFds, long ControlRss, int ControlFds, long AnalysisRss, int AnalysisFds)
{
    public double EventsPerSecond => Events / Math.Max(1e-9, Seconds);
}
