namespace BeamDAQ.Control.RunControl.State;

/// <summary>One change of state, with why it happened and the run it concerns.</summary>
public sealed record StateTransition(RunControlState From, RunControlState To, DateTimeOffset At, string Reason, long? Run)
{
    public override string ToString() => $"{From} → {To}{(Run is { } r ? $" (run {r})" : "")}: {Reason}";
}

/// <summary>
/// The answer of the state machine to a trigger: the transition it made, or why it refused (a value, not an
/// exception: an operator pressing start twice is expected).
/// </summary>
public readonly record struct TransitionResult(StateTransition? Transition, string? Refusal)
{
    public bool Accepted => Transition is not null;

    public static TransitionResult Made(StateTransition transition) => new(transition, null);
    public static TransitionResult Refused(string why) => new(null, why);
}

/// <summary>Where the state machine is: state, the run it concerns, the cause of an error, and since when.</summary>
public sealed record RunStateSnapshot(RunControlState State, long? Run, string? ErrorCause, DateTimeOffset Since);
