using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.RunControl.State;

/// <summary>
/// The run state machine of DESIGN §7 as a pure class: it knows which trigger is legal in which state and
/// remembers the run and the error cause; it talks to nothing. Each trigger returns the transition it made or
/// a refusal naming the state and what is allowed. Time comes from the injected clock.
/// <code>
///   Idle ─configure→ Configured ─start(run)→ Running ─begin stop→ Stopping ─stopped→ Configured
///   Configured ─configure→ Configured          any state except Error ─fail(cause)→ Error
///   Error ─recover / reset→ Idle               Idle ─adopt(run)→ Running | Configured (a restarted control node)
/// </code>
/// </summary>
/// <remarks>Not thread-safe: the run controller serialises every call.</remarks>
public sealed class RunStateMachine
{
    public const int HistoryLength = 32;

    private readonly IClock _clock;
    private readonly LinkedList<StateTransition> _history = new();

    public RunStateMachine(IClock clock)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        Since = clock.UtcNow;
    }

    public RunControlState State { get; private set; } = RunControlState.Idle;

    /// <summary>The run being recorded (Running, Stopping), or the run that was affected by the error (Error).</summary>
    public long? Run { get; private set; }

    /// <summary>Why run control is in Error; null in every other state.</summary>
    public string? ErrorCause { get; private set; }

    /// <summary>When the current state was entered.</summary>
    public DateTimeOffset Since { get; private set; }

    /// <summary>The latest transitions, oldest first (at most <see cref="HistoryLength"/>).</summary>
    public IReadOnlyList<StateTransition> History => [.. _history];

    public RunStateSnapshot Snapshot => new(State, Run, ErrorCause, Since);

    /// <summary>The front end accepted its configuration: Idle or Configured → Configured.</summary>
    public TransitionResult Configure(string reason = "front end configured") =>
        State is RunControlState.Idle or RunControlState.Configured
            ? Move(RunControlState.Configured, reason, run: null)
            : Refuse("configure", "Idle or Configured");

    /// <summary>The front end started recording <paramref name="run"/>: Configured → Running.</summary>
    public TransitionResult Start(long run, string reason = "run started")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(run, 1);
        return State == RunControlState.Configured
            ? Move(RunControlState.Running, reason, run)
            : Refuse("start", "Configured");
    }

    /// <summary>The front end is being told to stop: Running → Stopping (the run is kept until it is recorded).</summary>
    public TransitionResult BeginStop(string reason) =>
        State == RunControlState.Running
            ? Move(RunControlState.Stopping, reason, Run)
            : Refuse("stop", "Running");

    /// <summary>The run's end is recorded: Stopping → Configured.</summary>
    public TransitionResult Stopped(string reason = "run ended") =>
        State == RunControlState.Stopping
            ? Move(RunControlState.Configured, reason, run: null)
            : Refuse("finish stopping", "Stopping");

    /// <summary>A fault: any state but Error → Error with <paramref name="cause"/>. The first cause is kept.</summary>
    public TransitionResult Fail(string cause)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cause);
        if (State == RunControlState.Error)
            return TransitionResult.Refused($"already in Error (cause: {ErrorCause}); not replaced by: {cause}");
        var result = Move(RunControlState.Error, cause, Run);
        ErrorCause = cause;
        return result;
    }

    /// <summary>The fault went away by itself (the front end is back and idle): Error → Idle.</summary>
    public TransitionResult Recover(string reason) =>
        State == RunControlState.Error
            ? Move(RunControlState.Idle, reason, run: null)
            : Refuse("recover", "Error");

    /// <summary>
    /// The front end, lost during <paramref name="run"/>, answers again still recording it: Error → Running. Only the
    /// run the error concerns can be resumed.
    /// </summary>
    public TransitionResult Resume(long run, string reason) =>
        State == RunControlState.Error && Run == run
            ? Move(RunControlState.Running, reason, run)
            : Refuse($"resume run {run}", "Error concerning that run");

    /// <summary>The operator acknowledged the error: Error → Idle.</summary>
    public TransitionResult Reset(string reason = "reset by the operator") =>
        State == RunControlState.Error
            ? Move(RunControlState.Idle, reason, run: null)
            : Refuse("reset", "Error");

    /// <summary>
    /// A restarted control node found the front end recording <paramref name="run"/>: Idle → Running.
    /// </summary>
    public TransitionResult AdoptRunning(long run, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(run, 1);
        return State == RunControlState.Idle
            ? Move(RunControlState.Running, reason, run)
            : Refuse("adopt a running run", "Idle");
    }

    /// <summary>A restarted control node found the front end configured: Idle → Configured.</summary>
    public TransitionResult AdoptConfigured(string reason) =>
        State == RunControlState.Idle
            ? Move(RunControlState.Configured, reason, run: null)
            : Refuse("adopt a configured front end", "Idle");

    private TransitionResult Move(RunControlState to, string reason, long? run)
    {
        var transition = new StateTransition(State, to, _clock.UtcNow, reason, run ?? (to == RunControlState.Error ? Run : null));
        State = to;
        Run = to is RunControlState.Running or RunControlState.Stopping or RunControlState.Error ? transition.Run : null;
        ErrorCause = null;
        Since = transition.At;
        _history.AddLast(transition);
        if (_history.Count > HistoryLength)
            _history.RemoveFirst();
        return TransitionResult.Made(transition);
    }

    private TransitionResult Refuse(string trigger, string allowedIn) =>
        TransitionResult.Refused(
            $"cannot {trigger} in state {State}{(Run is { } run ? $" (run {run})" : "")}" +
            (ErrorCause is { } cause ? $" (cause: {cause})" : "") + $": allowed in {allowedIn}");
}
