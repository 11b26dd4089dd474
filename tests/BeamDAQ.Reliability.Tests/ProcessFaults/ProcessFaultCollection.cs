namespace BeamDAQ.Reliability.Tests.ProcessFaults;

/// <summary>
/// The fault tests that run the whole chain go one after another: each starts three programs, and two cores are
/// shared with the rest of the suite.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessFaultCollection
{
    public const string Name = "whole chain";
}
