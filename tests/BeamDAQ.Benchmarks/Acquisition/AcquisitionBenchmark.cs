using System.Diagnostics;
using System.Globalization;
using System.Text;
using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Daq.Configuration;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;
using Serilog;
using Serilog.Core;

namespace BeamDAQ.Benchmarks.Acquisition;

/// <summary>
/// <c>acquisition</c>: the front end's acquire → record → publish path, as <c>beamdaq-daq run --rate max</c> runs it —
/// the simulated HS4 replaying precomputed waveforms (so the figure is the daq's, not the simulator's physics), the run
/// file on disk, the PUB socket with a subscriber attached — for 4 × 10,000 and 4 × 131,072 samples, beside the same
/// path in Python in the same run; per-event dead time; and memory over a long run.
/// Targets: ≥ 300 MB/s (the HS4's USB 2.0 link carries at most 60 MB/s) and per-event dead time below 1 % of the
/// 200 ms bunch period.
/// </summary>
public sealed class AcquisitionBenchmark : IBenchmarkSuite
{
    private const double UsbMegabytesPerSecond = 60;
    private const double TargetMegabytesPerSecond = 300;
    private const double BunchPeriodSeconds = 0.2;

    public string Name => "acquisition";

    public string Run(bool quick)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"beamdaq-bench-acquisition-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        try
        {
            // The long run first, so the process's peak working set is its own.
            var memory = MeasureMemory(directory, quick ? 10_000 : 100_000);
            var rows = new List<Row>();
            var paced = new List<PacedRow>();
            foreach (var (samples, events, peerEvents) in new[] { (10_000, quick ? 1_000 : 20_000, quick ? 200 : 3_000), (131_072, quick ? 100 : 2_000, quick ? 30 : 300) })
            {
                rows.Add(Measure(directory, 4, samples, events, subscribe: true));
                rows.Add(Measure(directory, 4, samples, events, subscribe: false));
                rows.Add(RunPythonPeer(directory, 4, samples, peerEvents));
                paced.Add(MeasurePaced(directory, 4, samples, quick ? 25 : 250));
            }
            return Format(rows, paced, memory, quick);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Row Measure(string directory, int channels, int samples, int events, bool subscribe)
    {
        using var log = QuietLog();
        var config = Configuration(directory, channels, samples, precomputed: 16);
        using var zmq = new ZmqContext();
        using var publisher = DaqPublisher.Open(zmq, config, log);
        using var frontEnd = new FrontEnd(publisher, c => new SimulatedHs4Provider(c.Simulator, new VirtualClock()), log);
        frontEnd.Configure(config);
        using var subscriber = subscribe ? new Listener(zmq, publisher, frontEnd, log) : null;

        // Warm-up: JIT, page cache, buffers; its file is deleted before the timed run.
        frontEnd.StartRun(1, null, (ulong)Math.Max(20, events / 20));
        var warm = frontEnd.WaitForRunEnd(Timeout.InfiniteTimeSpan)!;
        File.Delete(warm.File);

        subscriber?.Reset();
        var clock = Stopwatch.StartNew();
        frontEnd.StartRun(2, null, (ulong)events);
        var summary = frontEnd.WaitForRunEnd(Timeout.InfiniteTimeSpan)!;
        double seconds = clock.Elapsed.TotalSeconds;
        var (received, missed) = subscriber?.WaitForRunEnd() ?? (0, 0);
        File.Delete(summary.File);

        return new Row($"BeamDAQ, {channels} × {samples:N0}{(subscribe ? ", subscriber attached" : ", no subscriber")}", channels, samples, summary.Events / seconds, summary.BytesWritten / seconds / 1e6,
            summary.BytesWritten / (double)summary.Events, summary.DeadTime.MedianSeconds, summary.DeadTime.P99Seconds,
            summary.AllocatedBytesPerEvent, summary.Dropped, received, missed, (long)summary.Events);
    }

    /// <summary>
    /// Dead time as the beam sees it: bunches at 25 Hz (the 5 Hz bunch clock run 5× faster), so the disk and the
    /// subscriber keep up as they do in operation, instead of the back-to-back events of the throughput run.
    /// </summary>
    private static PacedRow MeasurePaced(string directory, int channels, int samples, int events)
    {
        const double speed = 5;
        using var log = QuietLog();
        var config = Configuration(directory, channels, samples, precomputed: 16, pacing: "realtime");
        using var zmq = new ZmqContext();
        using var publisher = DaqPublisher.Open(zmq, config, log);
        using var frontEnd = new FrontEnd(publisher, c => new SimulatedHs4Provider(c.Simulator, new ScaledClock(speed, DateTimeOffset.UtcNow)), log);
        frontEnd.Configure(config);
        using var subscriber = new Listener(zmq, publisher, frontEnd, log);
        frontEnd.StartRun(4, null, (ulong)events);
        var summary = frontEnd.WaitForRunEnd(Timeout.InfiniteTimeSpan)!;
        var (received, missed) = subscriber.WaitForRunEnd();
        File.Delete(summary.File);
        return new PacedRow(channels, samples, config.Simulator.BunchRateHz * speed, summary.DeadTime.MedianSeconds, summary.DeadTime.P99Seconds,
            summary.DeadTime.MaxSeconds, summary.DeadTimeFraction, received, missed, (long)summary.Events);
    }

    private static MemoryProfile MeasureMemory(string directory, int events)
    {
        using var log = QuietLog();
        // The production default: one channel of 2,500 samples.
        var config = Configuration(directory, 1, 2_500, precomputed: 64);
        using var zmq = new ZmqContext();
        using var publisher = DaqPublisher.Open(zmq, config, log);
        using var frontEnd = new FrontEnd(publisher, c => new SimulatedHs4Provider(c.Simulator, new VirtualClock()), log);
        frontEnd.Configure(config);
        using var subscriber = new Listener(zmq, publisher, frontEnd, log);

        var samples = new List<(ulong Events, long WorkingSet)>();
        var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        frontEnd.StartRun(3, null, (ulong)events);
        RunSummary? summary;
        while ((summary = frontEnd.WaitForRunEnd(TimeSpan.FromMilliseconds(50))) is null)
        {
            process.Refresh();
            samples.Add((frontEnd.Status().Events, process.WorkingSet64));
        }
        double seconds = clock.Elapsed.TotalSeconds;
        subscriber.WaitForRunEnd();
        process.Refresh();
        File.Delete(summary.File);

        long At(double fraction) => samples.Count == 0 ? process.WorkingSet64
            : samples.FirstOrDefault(s => s.Events >= fraction * events, samples[^1]).WorkingSet;
        return new MemoryProfile(events, seconds, At(0.1), At(0.5), At(1.0), process.PeakWorkingSet64, summary.AllocatedBytesPerEvent,
            GC.CollectionCount(0), GC.CollectionCount(2));
    }

    private static DaqConfiguration Configuration(string directory, int channels, int samples, int precomputed, string pacing = "max")
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"digitizer:\n  record_length: {samples}\n  pre_sample_ratio: 0.2\n  channels:");
        for (int id = 1; id <= channels; id++) yaml.AppendLine(CultureInfo.InvariantCulture, $"    - {{ id: {id}, range_v: 0.8 }}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"simulator:\n  pacing: {pacing}\n  precomputed_waveforms: {precomputed}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"output:\n  directory: \"{directory}\"\npublish:\n  address: tcp://127.0.0.1:*");
        return DaqConfigurationLoader.Parse(yaml.ToString(), "acquisition benchmark");
    }

    private static Logger QuietLog() => new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();

    private static Row RunPythonPeer(string directory, int channels, int samples, int events)
    {
        var json = PythonPeer.Run("acquisition_peer.py", [channels, samples, events, directory]);
        return new Row($"Python {json.GetProperty("python").GetString()} (msgpack {json.GetProperty("msgpack").GetString()}, pyzmq {json.GetProperty("pyzmq").GetString()}), {channels} × {samples:N0}",
            channels, samples, json.GetProperty("events_per_s").GetDouble(), json.GetProperty("mb_per_s").GetDouble(), json.GetProperty("event_bytes").GetDouble(),
            json.GetProperty("dead_median_s").GetDouble(), json.GetProperty("dead_p99_s").GetDouble(), null, json.GetProperty("dropped").GetInt64(),
            json.GetProperty("received").GetInt64(), 0, events);
    }

    private static string Format(List<Row> rows, List<PacedRow> paced, MemoryProfile memory, bool quick)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("## Acquisition: acquire → record → publish (`acquisition`)");
        md.AppendLine();
        md.AppendLine("The front end's path as `beamdaq-daq run --rate max` runs it: the simulated HS4 replaying 16 precomputed events (the " +
                      "figure is the daq's, not the physics simulation's), `run_NNNNNN.bdq` on the local disk, and the PUB socket with a " +
                      "subscriber attached on another thread of the same 2-core machine (and, for comparison, none). Dead time is per event, " +
                      "from the block being ready to the digitizer armed again: the read, since the loop re-arms before it encodes, " +
                      "records and publishes. Allocated/event is what the acquisition thread allocates once buffers reached their size: " +
                      "the simulator's per-event truth records; the record-and-publish path itself allocates nothing (test " +
                      "`WhenAcquiringSteadilyThenTheRecordAndPublishPathAllocatesNothingPerEvent`). The Python row runs the same path in Python " +
                      $"(`peers/acquisition_peer.py`: numpy copy, msgpack, buffered file with zlib CRC-32, pyzmq PUB) in the same run{(quick ? "; quick smoke run: figures are rough" : "")}.");
        md.AppendLine();
        md.AppendLine("| Path | events/s | MB/s | bytes/event | dead time median | dead time p99 | allocated/event | publications dropped | subscriber received (missed) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            md.AppendLine(string.Create(c,
                $"| {r.Name} | {r.EventsPerSecond:N0} | {r.MegabytesPerSecond:N0} | {r.BytesPerEvent:N0} | {Micro(r.DeadMedian)} | {Micro(r.DeadP99)} | {(r.AllocatedPerEvent is { } a ? $"{a:N1} B" : "n/a")} | {r.Dropped:N0} | {(r.Name.EndsWith("no subscriber", StringComparison.Ordinal) ? "—" : $"{r.Received:N0} of {r.Events:N0} ({r.Missed:N0})")} |"));
        foreach (var samples in rows.Select(r => r.Samples).Distinct())
        {
            double bytes = rows.First(r => r.Samples == samples).BytesPerEvent;
            md.AppendLine(string.Create(c, $"| HS4 USB 2.0 link (at most), 4 × {samples:N0} | {UsbMegabytesPerSecond * 1e6 / bytes:N0} | {UsbMegabytesPerSecond:N0} | {bytes:N0} | | | | | |"));
        }
        md.AppendLine();
        md.AppendLine(string.Create(c, $"Measured with the machine's load average at {LoadAverage()}."));
        md.AppendLine();
        md.AppendLine("Dead time per event with bunches paced (the 5 Hz bunch clock run 5× faster, so disk and subscriber keep up as in operation):");
        md.AppendLine();
        md.AppendLine("| Record | bunch rate | dead time median | p99 | max | dead-time fraction | subscriber received (missed) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var p in paced)
            md.AppendLine(string.Create(c,
                $"| {p.Channels} × {p.Samples:N0} | {p.RateHz:0} Hz | {Micro(p.DeadMedian)} | {Micro(p.DeadP99)} | {Micro(p.DeadMax)} | {p.DeadFraction:P3} | {p.Received:N0} of {p.Events:N0} ({p.Missed:N0}) |"));
        md.AppendLine();
        md.AppendLine("Targets:");
        md.AppendLine();
        foreach (var r in rows.Where(r => r.Name.StartsWith("BeamDAQ", StringComparison.Ordinal) && r.Name.EndsWith("subscriber attached", StringComparison.Ordinal)))
        {
            var python = rows.First(p => p.Samples == r.Samples && !p.Name.StartsWith("BeamDAQ", StringComparison.Ordinal));
            var p = paced.First(p => p.Samples == r.Samples);
            md.AppendLine(string.Create(c,
                $"- {r.Name}: {r.MegabytesPerSecond:N0} MB/s ≥ {TargetMegabytesPerSecond:N0} MB/s — {(r.MegabytesPerSecond >= TargetMegabytesPerSecond ? "met" : "NOT met")} " +
                $"({r.MegabytesPerSecond / UsbMegabytesPerSecond:F1}× USB 2.0, {r.MegabytesPerSecond / python.MegabytesPerSecond:F1}× Python); " +
                $"dead time p99 at {p.RateHz:0} Hz {Micro(p.DeadP99)} < 1 % of the bunch period ({Micro(BunchPeriodSeconds / 100)}) — {(p.DeadP99 < BunchPeriodSeconds / 100 ? "met" : "NOT met")} " +
                $"(back to back at full throughput, where the threads share the cores with the subscriber and the I/O: median {Micro(r.DeadMedian)}, p99 {Micro(r.DeadP99)})"));
        }
        md.AppendLine();
        md.AppendLine(string.Create(c,
            $"Memory over {memory.Events:N0} events of the default record (1 × 2,500 samples, {memory.Seconds:F1} s): working set {Mb(memory.At10)} at 10 %, " +
            $"{Mb(memory.At50)} at 50 %, {Mb(memory.At100)} at the end; peak working set {Mb(memory.Peak)}; " +
            $"{(memory.AllocatedPerEvent is { } perEvent ? $"{perEvent:N1}" : "n/a")} bytes allocated per event on the acquisition thread (the simulator's per-event truth record included); " +
            $"flat (growth from 10 % to the end below 10 %): {(memory.At100 <= memory.At10 * 1.1 ? "yes" : "NO")}."));
        md.AppendLine();
        md.AppendLine("Reproduce: `dotnet build tests/BeamDAQ.Benchmarks -c Release && dotnet tests/BeamDAQ.Benchmarks/bin/Release/net10.0/beamdaq-bench.dll acquisition`");
        return md.ToString().TrimEnd();

        static string Micro(double seconds) => seconds >= 1e-3
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:0.00} ms")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:0.0} µs");
        static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:N0} MB");
    }

    /// <summary>The 1-minute load average (Linux), so a reader can tell a quiet machine from a busy one.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0] + $" on {Environment.ProcessorCount} cores";
        }
        catch (IOException)
        {
            return "(unknown)";
        }
    }

    private sealed record Row(string Name, int Channels, int Samples, double EventsPerSecond, double MegabytesPerSecond, double BytesPerEvent,
        double DeadMedian, double DeadP99, double? AllocatedPerEvent, long Dropped, long Received, long Missed, long Events);

    private sealed record PacedRow(int Channels, int Samples, double RateHz, double DeadMedian, double DeadP99, double DeadMax, double DeadFraction,
        long Received, long Missed, long Events);

    private sealed record MemoryProfile(int Events, double Seconds, long At10, long At50, long At100, long Peak, double? AllocatedPerEvent, int Gen0, int Gen2);

    /// <summary>A subscriber to evt and run.end on its own thread, counting what arrives and what it missed (seq gaps).</summary>
    private sealed class Listener : IDisposable
    {
        private readonly EventSubscriber _subscriber;
        private readonly Thread _thread;
        private readonly ManualResetEventSlim _runEnded = new(false);
        private volatile bool _stop;
        private long _received, _missedAtReset;

        public Listener(ZmqContext zmq, DaqPublisher publisher, FrontEnd frontEnd, ILogger log)
        {
            _subscriber = new EventSubscriber(zmq, publisher.Endpoint, 1000, Topics.Event, Topics.RunEnd, Topics.DaqStatus);
            // Heartbeats until one arrives: the subscription is through before anything is measured.
            using (new Heartbeat(TimeSpan.FromMilliseconds(20), () => frontEnd.Status().ToMessage("Configured", 0), publisher.Outlet, log))
                while (!_subscriber.TryReceive(TimeSpan.FromMilliseconds(50), out var m) || m.Topic != Topics.DaqStatus) { }
            _thread = new Thread(Listen) { IsBackground = true, Name = "benchmark subscriber" };
            _thread.Start();
        }

        private void Listen()
        {
            while (!_stop)
            {
                if (!_subscriber.TryReceive(TimeSpan.FromMilliseconds(100), out var m)) continue;
                if (m.Topic == Topics.Event) Interlocked.Increment(ref _received);
                else if (m.Topic == Topics.RunEnd) _runEnded.Set();
            }
        }

        public void Reset()
        {
            _runEnded.Wait(TimeSpan.FromSeconds(10));
            _runEnded.Reset();
            Interlocked.Exchange(ref _received, 0);
            _missedAtReset = _subscriber.Missed;
        }

        public (long Received, long Missed) WaitForRunEnd()
        {
            _runEnded.Wait(TimeSpan.FromSeconds(30));
            return (Interlocked.Read(ref _received), _subscriber.Missed - _missedAtReset);
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
            _subscriber.Dispose();
        }
    }
}
