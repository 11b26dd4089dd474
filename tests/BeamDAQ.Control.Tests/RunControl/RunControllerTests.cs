using BeamDAQ.Control.Alarms;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.RunControl.Orchestration;
using BeamDAQ.Control.RunControl.State;
using BeamDAQ.Control.RunControl.Supervision;
using BeamDAQ.Control.Tests.RunControl.Support;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Tests.RunControl;

public sealed class RunControllerTests : IDisposable
{
    private readonly RunControlHarness _h = new();

    [Fact]
    public void WhenARunStartsThenTheCatalogHoldsItAsRunningWithOperatorCommentAndFileAndTheDaqGotTheRunAndMeta()
    {
        var outcome = _h.Start("first light", events: 500);

        Assert.True(outcome.Started, outcome.Error);
        Assert.Equal(1, outcome.Run);
        Assert.Equal(RunControlState.Running, _h.Controller.State.State);
        var run = _h.Catalog.GetRun(1);
        Assert.Equal(RunState.Running, run.State);
        Assert.Equal("shift-crew", run.Operator);
        Assert.Equal("first light", run.Comment);
        Assert.Equal(_h.Daq.FilePath, run.FilePath);
        Assert.Equal(RunControlHarness.Epoch, run.StartUtc);
        Assert.Contains("\"resolution_bits\":12", run.AppliedSettingsJson);
        Assert.Equal(1u, _h.Daq.Run);
        Assert.Equal("shift-crew", _h.Daq.LastMeta!["operator"]);
        Assert.Equal("first light", _h.Daq.LastMeta["comment"]);
        Assert.Equal(500L, Convert.ToInt64(_h.Daq.LastMeta["events_limit"]));
        Assert.Equal(500, _h.Daq.LastEventsLimit);
    }

    [Fact]
    public void WhenARunIsStoppedThenItsCountsFileSizeAndSha256AreRecordedAndRunControlIsConfiguredAgain()
    {
        _h.Start();
        _h.Daq.Record(25);
        _h.Daq.AddMissed(2);
        _h.Clock.Advance(TimeSpan.FromSeconds(30));

        var stop = _h.Controller.Stop("operator");

        Assert.True(stop.Stopped);
        Assert.Equal(RunControlState.Configured, stop.State.State);
        var run = _h.Catalog.GetRun(1);
        Assert.Equal(RunState.Ended, run.State);
        Assert.Equal("operator", run.EndReason);
        Assert.Equal(25, run.Events);
        Assert.Equal(2, run.MissedTriggers);
        Assert.Equal(RunControlHarness.Epoch.AddSeconds(30), run.StopUtc);
        var (size, sha) = RunFileDigest.Compute(_h.Daq.FilePath!);
        Assert.Equal(size, run.FileSizeBytes);
        Assert.Equal(sha, run.FileSha256);
        Assert.Equal(1, _h.Daq.Executed("stop"));
    }

    [Fact]
    public void WhenRunsFollowEachOtherThenTheirNumbersIncreaseByOne()
    {
        foreach (int expected in new[] { 1, 2, 3 })
        {
            Assert.Equal(expected, _h.Start().Run);
            _h.Controller.Stop();
        }
        Assert.Equal(new RunRange(1, 3, 3), _h.Catalog.KnownRuns());
    }

    [Fact]
    public void WhenStartIsAskedWhileARunIsRecordedThenItIsRefusedAndNoNumberIsTaken()
    {
        _h.Start();

        var second = _h.Start();

        Assert.False(second.Started);
        Assert.Equal(RefusalKind.State, second.Refusal);
        Assert.Equal("run 1 is being recorded (Running): stop it first", second.Error);
        Assert.Equal(1, _h.Catalog.KnownRuns()!.Count);
        Assert.Equal(1, _h.Daq.Executed("start"));
    }

    [Fact]
    public void WhenStopIsAskedWithoutARunThenNothingChangesAndItSaysSo()
    {
        var stop = _h.Controller.Stop();

        Assert.False(stop.Stopped);
        Assert.Equal(RefusalKind.None, stop.Refusal);
        Assert.Equal("no run is being recorded (state Idle): nothing to stop", stop.Message);
        Assert.Equal(0, _h.Daq.Executed("stop"));
        Assert.Null(_h.Catalog.KnownRuns());
    }

    [Fact]
    public void WhenTheDaqRefusesItsConfigurationThenTheStartIsRefusedWithItsReasonAndNoRunNumberIsUsed()
    {
        _h.Daq.RefuseConfigure = "digitizer.sample_rate_hz = 1e9: allowed up to 5e7 [HS4 limit]";

        var outcome = _h.Start();

        Assert.False(outcome.Started);
        Assert.Equal(RefusalKind.Fault, outcome.Refusal);
        Assert.Contains("HS4 limit", outcome.Error);
        Assert.Equal(RunControlState.Idle, outcome.State.State);
        Assert.Null(_h.Catalog.KnownRuns());
    }

    [Fact]
    public void WhenTheDaqDoesNotAnswerAtStartThenRunControlEntersErrorWithTheCauseAndTakesNoRunNumber()
    {
        _h.Daq.Silent = true;

        var outcome = _h.Start();

        Assert.False(outcome.Started);
        Assert.Equal(RunControlState.Error, outcome.State.State);
        Assert.Contains("daq ping unanswered", outcome.State.ErrorCause);
        Assert.Contains(_h.Daq.ControlEndpoint, outcome.State.ErrorCause);
        Assert.Null(_h.Catalog.KnownRuns());
        Assert.Contains(_h.AlarmTransitions, t => t.Alarm.Code == FrontEndContactRule.LostCode);
    }

    [Fact]
    public void WhenTheStartReplyTimesOutThenTheAllocatedRunIsClosedAbortedAndRunControlIsInError()
    {
        using var h = new RunControlHarness(retries: 0);
        h.Daq.LoseReplyOf = "start";

        var outcome = h.Start();

        Assert.False(outcome.Started);
        Assert.Equal(RunControlState.Error, h.Controller.State.State);
        Assert.Contains("run 1 not started: daq start unanswered", h.Controller.State.ErrorCause);
        var run = h.Catalog.GetRun(1);
        Assert.Equal(RunState.Aborted, run.State);
        Assert.StartsWith("not started: daq start unanswered", run.EndReason);
        // The operator's reset stops what the front end did start meanwhile.
        var reset = h.Controller.Reset();
        Assert.True(reset.Reset, reset.Message);
        Assert.Contains("front end was recording run 1", reset.Message);
        Assert.Equal("Configured", h.Daq.State);
    }

    [Fact]
    public void WhenHeartbeatsStopAndThePingFailsThenRunControlIsInErrorAndWhenTheDaqComesBackIdleTheRunIsAbortedWithTheEventsItsFileHolds()
    {
        _h.Start();
        _h.Daq.Record(37);
        _h.Heartbeat();
        _h.Daq.Silent = true;   // killed: neither heartbeats nor replies
        _h.Clock.Advance(TimeSpan.FromSeconds(4));
        _h.Controller.Supervise();
        Assert.Equal(RunControlState.Running, _h.Controller.State.State); // within the 5 s time-out

        _h.Clock.Advance(TimeSpan.FromSeconds(2));
        _h.Controller.Supervise();

        var state = _h.Controller.State;
        Assert.Equal(RunControlState.Error, state.State);
        Assert.StartsWith("front end lost: no daq.status heartbeat for 6 s (limit 5 s", state.ErrorCause);
        Assert.Contains("no reply to ping", state.ErrorCause);
        Assert.Equal(RunState.Running, _h.Catalog.GetRun(1).State);   // its fate unknown: left open
        Assert.Contains(_h.AlarmTransitions, t => t.Alarm.Code == FrontEndContactRule.LostCode && t.Kind == AlarmTransitionKind.Raised);

        _h.Daq.Silent = false;
        _h.Heartbeat("Idle");   // a restarted front end: the run is gone
        Assert.Equal(RunControlState.Idle, _h.Controller.State.State);
        var run = _h.Catalog.GetRun(1);
        Assert.Equal(RunState.Aborted, run.State);
        Assert.Equal(37, run.Events);
        Assert.Contains("37 events in", run.EndReason);
        var (size, sha) = RunFileDigest.Compute(_h.Daq.FilePath!);
        Assert.Equal(size, run.FileSizeBytes);
        Assert.Equal(sha, run.FileSha256);
        Assert.Contains(_h.AlarmTransitions, t => t.Alarm.Code == FrontEndContactRule.LostCode && t.Kind == AlarmTransitionKind.Raised);
        // The front end answers again: the daq-lost alarm clears (the raise above was already there before it came back).
        Assert.Contains(_h.AlarmTransitions, t => t.Alarm.Code == FrontEndContactRule.LostCode && t.Kind == AlarmTransitionKind.Cleared);
    }

    [Fact]
    public void WhenTheDaqIsUnreachableAndComesBackStillRecordingThenTheRunIsResumedAndEndsWithItsTrueCounts()
    {
        _h.Start();
        _h.Daq.Record(10);
        _h.Heartbeat();
        _h.Daq.Silent = true;   // a network outage: the daq goes on recording
        _h.Clock.Advance(TimeSpan.FromSeconds(6));
        _h.Controller.Supervise();
        Assert.Equal(RunControlState.Error, _h.Controller.State.State);
        _h.Daq.Record(15);

        _h.Daq.Silent = false;
        _h.Heartbeat();
        Assert.Equal(RunControlState.Running, _h.Controller.State.State);
        Assert.Equal(1, _h.Controller.State.Run);
        Assert.Contains(_h.AlarmTransitions, t => t.Alarm.Code == FrontEndContactRule.LostCode && t.Kind == AlarmTransitionKind.Cleared);
        _h.Daq.Record(5);
        var stop = _h.Controller.Stop();

        Assert.True(stop.Stopped, stop.Message);
        var run = _h.Catalog.GetRun(1);
        Assert.Equal(RunState.Ended, run.State);
        Assert.Equal(30, run.Events);
        var (size, sha) = RunFileDigest.Compute(_h.Daq.FilePath!);
        Assert.Equal(size, run.FileSizeBytes);
        Assert.Equal(sha, run.FileSha256);
    }

    [Fact]
    public void WhenHeartbeatsStopButTheDaqStillAnswersAndRecordsThenTheRunGoesOnWithAWarning()
    {
        _h.Start();
        _h.Heartbeat();
        _h.Clock.Advance(TimeSpan.FromSeconds(6));

        _h.Controller.Supervise();

        Assert.Equal(RunControlState.Running, _h.Controller.State.State);
        Assert.Contains(_h.AlarmTransitions, t => t.Alarm.Code == FrontEndContactRule.HeartbeatMissingCode && t.Kind == AlarmTransitionKind.Raised);
        _h.Heartbeat();
        Assert.Contains(_h.AlarmTransitions, t => t.Alarm.Code == FrontEndContactRule.HeartbeatMissingCode && t.Kind == AlarmTransitionKind.Cleared);
    }

    [Fact]
    public void WhenHeartbeatsShowNoNewTriggerForTheLimitThenTheNoTriggerAlarmIsRaisedAndClearsWithTheNextTrigger()
    {
        _h.Start();
        _h.Daq.Record(5);
        _h.Heartbeat();
        for (int second = 1; second <= 11; second++)
        {
            _h.Clock.Advance(TimeSpan.FromSeconds(1));
            _h.Heartbeat();   // still 5 events: the beam trigger is gone
        }
        Assert.Contains(_h.AlarmTransitions, t => t.Alarm.Code == AlarmCodes.NoTrigger && t.Kind == AlarmTransitionKind.Raised);

        _h.Daq.Record(1);
        _h.Heartbeat();

        Assert.Contains(_h.AlarmTransitions, t => t.Alarm.Code == AlarmCodes.NoTrigger && t.Kind == AlarmTransitionKind.Cleared);
        Assert.Equal(RunControlState.Running, _h.Controller.State.State);
    }

    [Fact]
    public void WhenTheFrontEndComesBackIdleAfterItWasLostThenRunControlRecoversToIdle()
    {
        _h.Start();
        _h.Daq.Silent = true;
        _h.Clock.Advance(TimeSpan.FromSeconds(6));
        _h.Controller.Supervise();
        Assert.Equal(RunControlState.Error, _h.Controller.State.State);

        _h.Heartbeat(state: "Idle");

        Assert.Equal(RunControlState.Idle, _h.Controller.State.State);
        Assert.StartsWith("front end back (state Idle)", _h.Controller.Status().History[^1].Reason);
    }

    [Fact]
    public void WhenTheEventsLimitIsReachedThenRunControlStopsTheRunWithThatReason()
    {
        _h.Start(events: 20);
        _h.Daq.Record(12);
        _h.Heartbeat();
        Assert.Equal(RunControlState.Running, _h.Controller.State.State);

        _h.Daq.Record(10);
        _h.Heartbeat();

        Assert.Equal(RunControlState.Configured, _h.Controller.State.State);
        var run = _h.Catalog.GetRun(1);
        Assert.Equal(RunState.Ended, run.State);
        Assert.Equal("events limit reached: 22 of 20", run.EndReason);
        Assert.Equal(22, run.Events);
    }

    [Fact]
    public void WhenTheDaqEndsTheRunByItselfThenTheRunIsRecordedEndedWithTheDaqsReasonAndCounts()
    {
        _h.Start(events: 15);
        _h.Daq.Record(15);
        _h.Daq.EndRunByItself("events reached");

        _h.Controller.OnDaqRunEnd(new RunEndMessage { Run = 1, TimeNs = 0, Events = 15, Missed = 0, Reason = "events reached" });

        Assert.Equal(RunControlState.Configured, _h.Controller.State.State);
        var run = _h.Catalog.GetRun(1);
        Assert.Equal(RunState.Ended, run.State);
        Assert.Equal("ended by the front end: events reached", run.EndReason);
        Assert.Equal(15, run.Events);
        Assert.Equal(RunFileDigest.Compute(_h.Daq.FilePath!).Sha256, run.FileSha256);
        Assert.Equal(0, _h.Daq.Executed("stop"));
    }

    [Fact]
    public void WhenTheDaqEndsTheRunAndItsRunEndMessageIsLostThenTheEndIsReadFromTheRunFile()
    {
        _h.Start(events: 15);
        _h.Daq.Record(15);
        _h.Daq.RunEndExtras = new Dictionary<string, object?> { ["dead_time_fraction"] = 0.25 };
        _h.Daq.EndRunByItself("event limit");   // its run.end message never reaches run control

        _h.Heartbeat();   // "Configured": run control asks, then reads the file's last record

        Assert.Equal(RunControlState.Configured, _h.Controller.State.State);
        var run = _h.Catalog.GetRun(1);
        Assert.Equal(RunState.Ended, run.State);
        Assert.Equal("ended by the front end: event limit", run.EndReason);
        Assert.Equal(15, run.Events);
        Assert.Equal(0.25, run.DeadTimeFraction);
    }

    [Fact]
    public void WhenTheFrontEndDropsTheRunWithoutARunEndThenItIsAbortedWithWhatItsFileHolds()
    {
        _h.Start();
        _h.Daq.Record(6);
        _h.Daq.Fault();   // no run.end anywhere: the front end lost the run

        _h.Heartbeat();

        Assert.Equal(RunControlState.Error, _h.Controller.State.State);
        Assert.Equal("the front end no longer records run 1 (it reports Error, run 1)", _h.Controller.State.ErrorCause);
        var run = _h.Catalog.GetRun(1);
        Assert.Equal(RunState.Aborted, run.State);
        Assert.Equal(6, run.Events);
    }

    [Fact]
    public void WhenTheControlNodeRestartsMidRunThenTheNewOneAdoptsTheRunAndRecordsItsEnd()
    {
        _h.Start("long run");
        _h.Daq.Record(10);

        var restarted = _h.NewController();
        string note = restarted.Reconcile();
        _h.Daq.Record(5);
        var stop = restarted.Stop("operator");

        Assert.Equal("adopted run 1, which the front end kept recording", note);
        Assert.True(stop.Stopped);
        var run = _h.Catalog.GetRun(1);
        Assert.Equal(RunState.Ended, run.State);
        Assert.Equal(15, run.Events);
        Assert.Equal("long run", run.Comment);
        Assert.Equal(2, _h.Start().Run);   // numbering goes on
    }

    [Fact]
    public void WhenTheControlNodeRestartsAfterTheFrontEndStoppedThenTheLeftRunIsRecoveredAbortedWithItsFileContent()
    {
        var gone = new RunOwner(Environment.MachineName, int.MaxValue - 7, RunControlHarness.Epoch);
        using var h = new RunControlHarness(owner: gone);
        h.Start();
        h.Daq.Record(8);
        h.Daq.EndRunByItself("digitizer lost");   // nobody listening: the old control node is gone

        var restarted = h.NewController(owner: RunOwner.CurrentProcess);
        string note = restarted.Reconcile();

        Assert.Equal("front end Configured; recovered as aborted: 1", note);
        Assert.Equal(RunControlState.Configured, restarted.State.State);
        var run = h.Catalog.GetRun(1);
        Assert.Equal(RunState.Aborted, run.State);
        Assert.Equal(8, run.Events);
        Assert.Contains("is gone", run.EndReason);
    }

    [Fact]
    public void WhenTheFrontEndRecordsARunTheCatalogDoesNotKnowThenRunControlRefusesToAdoptItAndSaysWhy()
    {
        _h.Start();
        using var other = new RunControlHarness();   // a catalog that never heard of run 1
        var stranger = new Orchestration(other, _h).Controller;

        string note = stranger.Reconcile();

        Assert.Equal(RunControlState.Error, stranger.State.State);
        Assert.Contains("the front end records run 1, which the catalog", note);
        Assert.Contains("does not know (known runs: none)", stranger.State.ErrorCause);
    }

    [Fact]
    public void WhenACommentLooksLikeSqlThenItIsStoredAndSentVerbatim()
    {
        const string comment = "'); DROP TABLE runs; -- \"quoted\" ünïcödé\nsecond line";

        _h.Start(comment);

        Assert.Equal(comment, _h.Catalog.GetRun(1).Comment);
        Assert.Equal(comment, _h.Daq.LastMeta!["comment"]);
        Assert.Single(_h.Catalog.ListRuns());
    }

    [Theory]
    [InlineData(0.0, 3.1, "exit aperture X = 0 mm; allowed: > 0 and at most 21 mm")]
    [InlineData(9.9, 25.0, "exit aperture Y = 25 mm; allowed: > 0 and at most 21 mm")]
    [InlineData(9.9, null, "exit aperture needs both X and Y (mm), or neither")]
    public void WhenTheExitApertureIsOutOfRangeThenTheStartIsRefusedAsBadUsageBeforeAnythingMoves(double x, double? y, string error)
    {
        var outcome = _h.Controller.Start(new StartRequest { ExitApertureXMm = x, ExitApertureYMm = y });

        Assert.Equal(RefusalKind.Usage, outcome.Refusal);
        Assert.Equal(error, outcome.Error);
        Assert.Empty(_h.Daq.Received);
    }

    [Fact]
    public void WhenTheDigitizerIsLostAndBackDuringARunThenTheIntervalIsRecordedWithTheRun()
    {
        _h.Start();
        _h.Heartbeat(deviceState: "ok");
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        _h.Heartbeat(deviceState: "lost");
        _h.Clock.Advance(TimeSpan.FromSeconds(3));
        _h.Heartbeat(deviceState: "ok");
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        _h.Heartbeat(deviceState: "lost");
        _h.Controller.Stop();

        var losses = _h.Catalog.GetDeviceLosses(1);
        Assert.Equal(2, losses.Count);
        Assert.Equal(TimeSpan.FromSeconds(3), losses[0].Duration);
        Assert.Equal("digitizer", losses[0].Device);
        Assert.Null(losses[1].EndUtc);
    }

    [Fact]
    public void WhenRunBeginArrivesThenTheDaqsFullConfigurationIsRecordedBesideRunControls()
    {
        _h.Start(events: 40);

        _h.Controller.OnDaqRunBegin(new RunBeginMessage
        {
            Run = 1,
            TimeNs = 0,
            Config = new Dictionary<string, object?> { ["digitizer"] = new Dictionary<string, object?> { ["resolution_bits"] = 14L } },
            Applied = new Dictionary<string, object?> { ["sample_rate_hz"] = 3.125e6 },
            Software = "daq",
            Meta = new Dictionary<string, object?>(),
        });

        var run = _h.Catalog.GetRun(1);
        Assert.Contains("\"daq\":{\"digitizer\":{\"resolution_bits\":14}}", run.ConfigurationJson);
        Assert.Contains("\"events_limit\":40", run.ConfigurationJson);
        Assert.Equal("{\"sample_rate_hz\":3125000}", run.AppliedSettingsJson);
    }

    /// <summary>A controller on <paramref name="catalogSide"/>'s catalog commanding <paramref name="daqSide"/>'s front end.</summary>
    private sealed class Orchestration(RunControlHarness catalogSide, RunControlHarness daqSide)
    {
        public RunController Controller { get; } = new(catalogSide.Catalog,
            new BeamDAQ.Control.RunControl.Daq.DaqClient(catalogSide.Context, daqSide.DaqOptions), null, null, null,
            catalogSide.Clock, Serilog.Core.Logger.None);
    }

    public void Dispose() => _h.Dispose();
}
