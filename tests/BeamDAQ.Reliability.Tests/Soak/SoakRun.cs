using System.Diagnostics;
using System.Globalization;
using System.Text;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Reliability.Tests.Support;

namespace BeamDAQ.Reliability.Tests.Soak;

/// <summary>
/// An accelerated shift through the whole chain: the daq simulating 5 Hz bunches as fast as it can (<c>pacing: max</c>),
/// the monitor subscribed and fitting, the control node recording the shift as consecutive runs of 2,000 bunches — 72
/// runs for a whole shift, so every per-run resource (file, catalog rows, state machine, the monitor's reset at a run
/// start) is taken and given back many times.
/// After each run, with the chain idle, it samples every process's resident memory (VmRSS) and open descriptors
/// (/proc/PID/fd), audits the run file against the catalog and the monitor's accounting, and deletes the file so a long
/// soak needs little disk.
/// </summary>
public sealed class SoakRun
{
    public const int RunLength = 2_000;

    public required int Bunches { get; init; }
    public required IReadOnlyList<SoakSample> Samples { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required long Events { get; init; }
    public required ulong Missed { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }
    public required int FitsStored { get; init; }
    public required long FitsPublished { get; init; }
    public required long MonitorReceived { get; init; }
    public required long MonitorMissed { get; init; }
    public required long MonitorDropped { get; init; }
    /// <summary>Events dropped by the daq before the monitor's first message: no seq gap can show them.</summary>
    public required long MonitorUnseen { get; init; }

    /// <summary>The sample the growth is measured from: after the second run (JIT and buffers at their working size).</summary>
    public SoakSample Warm => Samples[Math.Min(1, Samples.Count - 1)];

    public static SoakRun Execute(int bunches, Action<string>? progress = null)
    {
        int runLength = Math.Min(RunLength, Math.Max(100, bunches / 10)); // at least ten runs, so growth is measured from medians
        using var chain = new BeamDaqChain(bunchRateHz: 5, pacing: "max");
        // Compact and give memory back eagerly, so resident memory follows what the process really holds rather than
        // when the collector last ran.
        chain.Environment["DOTNET_GCConserveMemory"] = "7";
        chain.StartDaq();
        chain.StartControl();
        chain.StartAnalysis();
        Eventually.True(() => chain.ControlState() is "Idle" or "Configured", "control ready");

        var samples = new List<SoakSample>();
        var problems = new List<string>();
        long events = 0;
        ulong missed = 0;
        int fits = 0;
        var clock = Stopwatch.StartNew();
        for (int index = 0; events < bunches; index++)
        {
            long length = Math.Min(runLength, bunches - events);
            var started = clock.Elapsed;
            var start = chain.ControlRequest("start", new() { ["comment"] = $"soak run {index + 1}", ["events"] = length });
            if (!RunControlClient.Ok(start)) throw new InvalidOperationException($"soak run {index + 1}: start refused: {RunControlClient.Error(start)}");
            long run = Convert.ToInt64(start["run"]);
            RunRecord record = null!;
            using (var catalog = chain.OpenCatalog())
            {
                Eventually.True(() => (record = catalog.GetRun(run)).State != RunState.Running, $"soak run {run} ended",
                    deadline: TimeSpan.FromSeconds(60 + length / 100.0));
                Eventually.True(() => chain.ControlState() == "Configured", $"control idle after soak run {run}");
                fits += catalog.GetFits(run).Count;
            }
            var wall = (clock.Elapsed - started).TotalSeconds;
            var audit = RunFileAudit.Of(record.FilePath!);
            if (!audit.IsComplete) problems.Add(audit.ToString());
            if (audit.Events != length || record.Events != length || record.State != RunState.Ended)
                problems.Add($"run {run}: {record.State}, catalog {record.Events} events, file {audit.Events}, asked {length}");
            if (audit.RunEnd is { } end && BunchGrid.Spanned(audit.EventTimesNs, 5) != audit.Events + (long)end.Missed)
                problems.Add($"run {run}: {audit.Events} events + {end.Missed} missed ≠ {BunchGrid.Spanned(audit.EventTimesNs, 5)} bunches");
            events += audit.Events;
            missed += audit.RunEnd?.Missed ?? 0;
            File.Delete(record.FilePath!); // audited; a long soak keeps only the catalog

            foreach (var program in new[] { chain.Daq!, chain.Control!, chain.Analysis! })
                if (program.HasExited)
                    throw new InvalidOperationException($"{program.CommandLine} exited with {program.ExitCode} during the soak (run {run}):{Environment.NewLine}{BeamDaqProgram.Tail(program.Stderr, 40)}");
            long publicationsDropped = audit.RunEnd?.Extras.GetValueOrDefault("dropped") is { } d ? Convert.ToInt64(d) : 0;
            // The run's own wall time as the control node recorded it: the start handshake is not throughput.
            double seconds = record.StopUtc is { } stop ? (stop - record.StartUtc).TotalSeconds : wall;
            samples.Add(new SoakSample(index, run, audit.Events, audit.RunEnd?.Missed ?? 0, publicationsDropped, seconds,
                chain.Daq!.ResidentBytes(), chain.Daq.OpenFileDescriptors(),
                chain.Control!.ResidentBytes(), chain.Control.OpenFileDescriptors(),
                chain.Analysis!.ResidentBytes(), chain.Analysis.OpenFileDescriptors()));
            progress?.Invoke($"{clock.Elapsed.TotalSeconds:F0} s: run {run} done, {events:N0} of {bunches:N0} bunches");
        }
        var elapsed = clock.Elapsed;

        // The monitor counts what it missed from seq gaps, which cannot include what the daq dropped before the first
        // message it saw: every event must be received, counted missed, dropped by the monitor's own queue, or fall in
        // that first gap — at most what run 1 dropped from its publication queue.
        long Received() => Status(chain, "events_total");
        long MonitorMissed() => Status(chain, "missed_by_monitor");
        long Dropped() => Status(chain, "dropped_by_monitor");
        long Unseen() => events - Received() - MonitorMissed() - Dropped();
        Eventually.True(() => Unseen() <= samples[0].PublicationsDropped, "the monitor accounting for every event",
            state: () => $"{Received()} + {MonitorMissed()} + {Dropped()} vs {events}; run 1 dropped {samples[0].PublicationsDropped}");
        if (Unseen() < 0) problems.Add($"the monitor accounts for {events - Unseen()} events, more than the {events} recorded");
        return new SoakRun
        {
            Bunches = bunches,
            Samples = samples,
            Elapsed = elapsed,
            Events = events,
            Missed = missed,
            Problems = problems,
            FitsStored = fits,
            MonitorReceived = Received(),
            MonitorMissed = MonitorMissed(),
            MonitorDropped = Dropped(),
            MonitorUnseen = Unseen(),
            FitsPublished = Status(chain, "fits_published"),
        };
    }

    /// <summary>
    /// Growth of resident memory once warm: with enough runs, the median over the last quarter of the runs against the
    /// median over the second quarter (the garbage collector's own rhythm averages out); with few, after the last run
    /// against after the second.
    /// </summary>
    public double MemoryGrowth(Func<SoakSample, long> rss)
    {
        if (Samples.Count < 8) return (double)rss(Samples[^1]) / rss(Warm) - 1;
        int quarter = Samples.Count / 4;
        return Median(Samples.Skip(Samples.Count - quarter).Select(s => (double)rss(s))) / Median(Samples.Skip(quarter).Take(quarter).Select(s => (double)rss(s))) - 1;
    }

    /// <summary>Open descriptors once warm: the same comparison as <see cref="MemoryGrowth"/>, as a difference.</summary>
    public double DescriptorGrowth(Func<SoakSample, int> fds)
    {
        if (Samples.Count < 8) return fds(Samples[^1]) - fds(Warm);
        int quarter = Samples.Count / 4;
        return Median(Samples.Skip(Samples.Count - quarter).Select(s => (double)fds(s))) - Median(Samples.Skip(quarter).Take(quarter).Select(s => (double)fds(s)));
    }

    /// <summary>Events per second of the daq's run time over each quarter of the runs.</summary>
    /// <summary>
    /// Per quarter of the shift, the median of the runs' event rates. A median, not events over summed time: runs of
    /// 2,000 accelerated bunches last ~30 ms, and one start/stop handshake that waited out a query time-out (about
    /// one run in 70 takes ~1 s, see docs/reliability.md) would otherwise halve its quarter's figure; that stall is
    /// reported on its own (<see cref="Report"/>: run wall time max), not hidden in a throughput.
    /// </summary>
    public double[] ThroughputByQuarter()
    {
        int quarter = Math.Max(1, Samples.Count / 4);
        return Enumerable.Range(0, Math.Min(4, Samples.Count))
            .Select(q => Samples.Skip(q * quarter).Take(q == 3 ? int.MaxValue : quarter).ToList())
            .Where(part => part.Count > 0)
            .Select(part => Median(part.Select(s => s.EventsPerSecond)))
            .ToArray();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    public static readonly (string Name, Func<SoakSample, long> Rss, Func<SoakSample, int> Fds)[] Processes =
    [
        ("daq", s => s.DaqRss, s => s.DaqFds),
        ("control", s => s.ControlRss, s => s.ControlFds),
        ("analysis", s => s.AnalysisRss, s => s.AnalysisFds),
    ];

    public string Report()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Create(c, $"soak: {Bunches:N0} bunches ({Bunches / 5.0 / 3600:F1} h of 5 Hz beam) as {Samples.Count} runs in {Elapsed.TotalSeconds:F0} s through daq → monitor → control"));
        text.AppendLine(string.Create(c, $"  recorded {Events:N0} events, {Missed} missed; {FitsPublished} fits published by the monitor, {FitsStored} stored with their runs; {Problems.Count} problems"));
        text.AppendLine(string.Create(c, $"  daq publications dropped (the file has them all): {Samples.Sum(s => s.PublicationsDropped):N0}"));
        text.AppendLine(string.Create(c, $"  monitor: {MonitorReceived:N0} received + {MonitorMissed:N0} missed (seq gaps) + {MonitorDropped:N0} dropped (own queue) + {MonitorUnseen:N0} dropped by the daq before its first message = {MonitorReceived + MonitorMissed + MonitorDropped + MonitorUnseen:N0}"));
        var quarters = ThroughputByQuarter();
        text.AppendLine(string.Create(c, $"  throughput by quarter of the shift (median of the runs' events per second of wall time): {string.Join(", ", quarters.Select(q => q.ToString("F0", c)))}"));
        var seconds = Samples.Select(s => s.Seconds * 1e3).Order().ToArray();
        text.AppendLine(string.Create(c, $"  run wall time ms: median {seconds[seconds.Length / 2]:F0}, p90 {seconds[(int)(0.9 * (seconds.Length - 1))]:F0}, max {seconds[^1]:F0}; by run {string.Join(" ", Samples.Select(s => (s.Seconds * 1e3).ToString("F0", c)))}"));
        foreach (var (name, rss, fds) in Processes)
            text.AppendLine(string.Create(c,
                $"  {name,-8} RSS after run 2 {rss(Warm) / 1e6:F1} MB → after run {Samples.Count} {rss(Samples[^1]) / 1e6:F1} MB (growth once warm {MemoryGrowth(rss):+0.0%;-0.0%}); open fds {fds(Warm)} → {fds(Samples[^1])} (growth once warm {DescriptorGrowth(fds):+0;-0})"));
        var marks = new[] { 1, Samples.Count / 4, Samples.Count / 2, 3 * Samples.Count / 4, Samples.Count - 1 }.Distinct().Where(i => i < Samples.Count);
        foreach (var (name, rss, _) in Processes)
            text.AppendLine(string.Create(c, $"  {name,-8} RSS MB after runs {string.Join(", ", marks.Select(i => $"{i + 1}: {rss(Samples[i]) / 1e6:F0}"))}"));
        foreach (var p in Problems) text.AppendLine("  PROBLEM: " + p);
        return text.ToString();
    }

    private static long Status(BeamDaqChain chain, string key) => chain.MonitorState()?["status"]?[key]?.GetValue<long>() ?? -1;
}
