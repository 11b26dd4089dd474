using BeamDAQ.Control.RunControl.State;
using BeamDAQ.Control.Tests.Catalog.Support;

namespace BeamDAQ.Control.Tests.RunControl;

public class RunStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    public enum Trigger { Configure, Start, BeginStop, Stopped, Fail, Recover, Reset, AdoptRunning, AdoptConfigured }

    /// <summary>A machine brought into <paramref name="state"/> by legal transitions only.</summary>
    private static RunStateMachine In(RunControlState state, ManualClock? clock = null)
    {
        var machine = new RunStateMachine(clock ?? new ManualClock(T0));
        switch (state)
        {
            case RunControlState.Configured:
                machine.Configure();
                break;
            case RunControlState.Running:
                machine.Configure();
                machine.Start(7);
                break;
            case RunControlState.Stopping:
                machine.Configure();
                machine.Start(7);
                machine.BeginStop("operator");
                break;
            case RunControlState.Error:
                machine.Configure();
                machine.Start(7);
                machine.Fail("front end lost");
                break;
        }
        Assert.Equal(state, machine.State);
        return machine;
    }

    private static TransitionResult Fire(RunStateMachine machine, Trigger trigger) => trigger switch
    {
        Trigger.Configure => machine.Configure(),
        Trigger.Start => machine.Start(8),
        Trigger.BeginStop => machine.BeginStop("operator"),
        Trigger.Stopped => machine.Stopped(),
        Trigger.Fail => machine.Fail("a new fault"),
        Trigger.Recover => machine.Recover("front end back"),
        Trigger.Reset => machine.Reset(),
        Trigger.AdoptRunning => machine.AdoptRunning(9, "found recording"),
        _ => machine.AdoptConfigured("found configured"),
    };

    /// <summary>The whole transition table of DESIGN §7: every state × every trigger, with the state it leads to (null: refused).</summary>
    public static TheoryData<RunControlState, Trigger, RunControlState?> Table()
    {
        RunControlState? refused = null;
        var data = new TheoryData<RunControlState, Trigger, RunControlState?>();
        var legal = new Dictionary<(RunControlState, Trigger), RunControlState>
        {
            [(RunControlState.Idle, Trigger.Configure)] = RunControlState.Configured,
            [(RunControlState.Configured, Trigger.Configure)] = RunControlState.Configured,
            [(RunControlState.Configured, Trigger.Start)] = RunControlState.Running,
            [(RunControlState.Running, Trigger.BeginStop)] = RunControlState.Stopping,
            [(RunControlState.Stopping, Trigger.Stopped)] = RunControlState.Configured,
            [(RunControlState.Idle, Trigger.Fail)] = RunControlState.Error,
            [(RunControlState.Configured, Trigger.Fail)] = RunControlState.Error,
            [(RunControlState.Running, Trigger.Fail)] = RunControlState.Error,
            [(RunControlState.Stopping, Trigger.Fail)] = RunControlState.Error,
            [(RunControlState.Error, Trigger.Recover)] = RunControlState.Idle,
            [(RunControlState.Error, Trigger.Reset)] = RunControlState.Idle,
            [(RunControlState.Idle, Trigger.AdoptRunning)] = RunControlState.Running,
            [(RunControlState.Idle, Trigger.AdoptConfigured)] = RunControlState.Configured,
        };
        foreach (var state in Enum.GetValues<RunControlState>())
            foreach (var trigger in Enum.GetValues<Trigger>())
                data.Add(state, trigger, legal.TryGetValue((state, trigger), out var to) ? to : refused);
        return data;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void WhenATriggerFiresThenTheMachineFollowsTheTableOrRefusesAndStaysPut(RunControlState from, Trigger trigger, RunControlState? to)
    {
        var machine = In(from);
        var before = machine.Snapshot;

        var result = Fire(machine, trigger);

        if (to is { } expected)
        {
            Assert.True(result.Accepted, result.Refusal);
            Assert.Equal(expected, machine.State);
            Assert.Equal(from, result.Transition!.From);
            Assert.Equal(expected, result.Transition.To);
            Assert.Null(result.Refusal);
        }
        else
        {
            Assert.False(result.Accepted);
            Assert.Equal(before, machine.Snapshot);
            Assert.Contains(from.ToString(), result.Refusal);
        }
    }

    [Fact]
    public void WhenATriggerIsRefusedThenTheRefusalNamesTheStateTheRunAndWhereItIsAllowed()
    {
        var machine = In(RunControlState.Running);

        var result = machine.Start(8);

        Assert.Equal("cannot start in state Running (run 7): allowed in Configured", result.Refusal);
    }

    [Fact]
    public void WhenRunningThenTheMachineCarriesTheRunUntilItIsStopped()
    {
        var machine = In(RunControlState.Configured);

        machine.Start(42);
        Assert.Equal(42, machine.Run);
        machine.BeginStop("events reached");
        Assert.Equal(42, machine.Run);
        machine.Stopped();
        Assert.Null(machine.Run);
    }

    [Fact]
    public void WhenAFaultHappensThenErrorCarriesItsCauseAndTheRunAndAResetClearsBoth()
    {
        var machine = In(RunControlState.Running);

        machine.Fail("front end lost: no heartbeat for 5 s");

        Assert.Equal(RunControlState.Error, machine.State);
        Assert.Equal("front end lost: no heartbeat for 5 s", machine.ErrorCause);
        Assert.Equal(7, machine.Run);
        machine.Reset();
        Assert.Equal(RunControlState.Idle, machine.State);
        Assert.Null(machine.ErrorCause);
        Assert.Null(machine.Run);
    }

    [Fact]
    public void WhenASecondFaultArrivesInErrorThenTheFirstCauseIsKept()
    {
        var machine = In(RunControlState.Error);

        var second = machine.Fail("catalog unreachable");

        Assert.False(second.Accepted);
        Assert.Equal("front end lost", machine.ErrorCause);
        Assert.Contains("catalog unreachable", second.Refusal);
    }

    [Fact]
    public void WhenTheMachineMovesThenSinceAndTheTransitionTimeComeFromTheInjectedClock()
    {
        var clock = new ManualClock(T0);
        var machine = new RunStateMachine(clock);
        Assert.Equal(T0, machine.Since);

        clock.Advance(TimeSpan.FromSeconds(90));
        var configured = machine.Configure();
        clock.Advance(TimeSpan.FromSeconds(10));
        machine.Start(1);

        Assert.Equal(T0.AddSeconds(90), configured.Transition!.At);
        Assert.Equal(T0.AddSeconds(100), machine.Since);
        Assert.Equal([RunControlState.Configured, RunControlState.Running], machine.History.Select(t => t.To));
    }

    [Fact]
    public void WhenManyTransitionsHappenThenTheHistoryKeepsOnlyTheLatest()
    {
        var machine = In(RunControlState.Configured);
        for (int run = 1; run <= 20; run++)
        {
            machine.Start(run);
            machine.BeginStop("operator");
            machine.Stopped();
        }

        Assert.Equal(RunStateMachine.HistoryLength, machine.History.Count);
        Assert.Equal(20, machine.History[^1].Run ?? machine.History[^2].Run);
    }

    [Fact]
    public void WhenARunNumberIsNotPositiveThenStartAndAdoptThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => In(RunControlState.Configured).Start(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => In(RunControlState.Idle).AdoptRunning(-1, "x"));
        Assert.Throws<ArgumentException>(() => In(RunControlState.Idle).Fail(" "));
    }
}
