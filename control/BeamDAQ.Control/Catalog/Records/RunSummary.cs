namespace BeamDAQ.Control.Catalog;

/// <summary>One line of the run list: the run's headline numbers and its latest fit.</summary>
public sealed record RunSummary(
    long Run,
    RunState State,
    string Operator,
    string Comment,
    DateTimeOffset StartUtc,
    DateTimeOffset? StopUtc,
    long? Events,
    long? MissedTriggers,
    CollimatorSetting? ExitCollimator,
    double? Lambda,
    double? LambdaError)
{
    public TimeSpan? Duration => StopUtc - StartUtc;
}
