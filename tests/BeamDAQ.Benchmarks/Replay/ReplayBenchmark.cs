using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Daq.Replay;
using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Benchmarks.Replay;

/// <summary>
/// <c>replay</c>: a run recorded by <c>beamdaq-daq run</c> (4 channels × 10,000 samples per bunch) is republished at
/// <c>--speed max</c> — by the program as an analyst runs it, by the replay player in process with and without a
/// subscriber, and by a Python replayer (pyzmq) — each against the raw read speed of the same file
/// (<c>cat FILE &gt; /dev/null</c>), with the file in the page cache and with its pages dropped (read from the disk). The
/// subscriber is a pyzmq SUB in its own process. Targets: from the disk, the replay path without a subscriber at least
/// half the raw read speed; with the subscriber at least the Python replayer's rate. (From the page cache `cat` is a
/// memory copy, while replay checks every record's CRC-32C: that share is reported, not targeted.)
/// </summary>
public sealed class ReplayBenchmark : IBenchmarkSuite
{
    private const int Channels = 4;
    private const int Samples = 10_000;
    private const int Rounds = 3;

    public string Name => "replay";

    public string Run(bool quick)
    {
        int events = quick ? 300 : 10_000;
        string directory = Path.Combine(Path.GetTempPath(), $"beamdaq-bench-replay-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        try
        {
            var recordClock = Stopwatch.StartNew();
            string file = Record(directory, events);
            recordClock.Stop();
            long bytes = new FileInfo(file).Length;
            Cat(file);   // into the page cache: every reader below starts from cached pages

            var rows = new Dictionary<string, List<Measurement>>();
            void Add(string name, Measurement m) => (rows.TryGetValue(name, out var list) ? list : rows[name] = []).Add(m);
            string? peerVersion = null;
            InProcess(file, subscribe: false);   // JIT warm-up of the in-process rows
            for (int round = 0; round < Rounds; round++)
            {
                Add(CatRow, new Measurement(Cat(file), null));
                DropCache(file);
                Add(CatDroppedRow, new Measurement(Cat(file), null));
                DropCache(file);
                Add(InProcessDroppedRow, InProcess(file, subscribe: false));
                Cat(file);   // back into the page cache for the cached rows
                Add(ProgramRow, Program(directory, file));
                Add(InProcessRow, InProcess(file, subscribe: true));
                Add(InProcessNoSubscriberRow, InProcess(file, subscribe: false));
                var (peer, version) = PythonReplay(file);
                Add(PythonRow, peer);
                peerVersion = version;
            }
            return Format(events, bytes, recordClock.Elapsed, rows, peerVersion!, quick);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private const string CatRow = "`cat FILE > /dev/null` (raw read), cached";
    private const string CatDroppedRow = "`cat FILE > /dev/null` (raw read), pages dropped: from the disk";
    private const string InProcessDroppedRow = "BeamDAQ replay player in process, no subscriber, pages dropped: from the disk";
    private const string ProgramRow = "`beamdaq-daq replay FILE --speed max`, pyzmq SUB attached (program: start-up and 0.5 s subscriber settle included)";
    private const string InProcessRow = "BeamDAQ replay player in process, pyzmq SUB attached";
    private const string InProcessNoSubscriberRow = "BeamDAQ replay player in process, no subscriber";
    private const string PythonRow = "Python replayer (pyzmq; no CRC check, no replay marking), pyzmq SUB attached";

    /// <summary>One timed replay: wall time, and what the subscriber received (null without one).</summary>
    private sealed record Measurement(TimeSpan Elapsed, Received? Received);

    private sealed record Received(long Messages, bool RunEnd);

    private static string Record(string directory, int events)
    {
        string config = Path.Combine(directory, "daq.yaml");
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"digitizer:\n  record_length: {Samples}\n  pre_sample_ratio: 0.2\n  channels:");
        for (int id = 1; id <= Channels; id++) yaml.AppendLine(CultureInfo.InvariantCulture, $"    - {{ id: {id}, range_v: 0.8 }}");
        yaml.AppendLine("simulator:\n  pacing: max\n  precomputed_waveforms: 16");
        File.WriteAllText(config, yaml.ToString());
        string program = Path.Combine(AppContext.BaseDirectory, "beamdaq-daq.dll");
        var (exit, output) = Shell($"dotnet '{program}' run --config '{config}' --run 1 --events {events} --out '{directory}' --publish 'tcp://127.0.0.1:*'", directory);
        string file = Path.Combine(directory, "run_000001.bdq");
        if (exit != 0 || !File.Exists(file)) throw new InvalidOperationException($"recording the run failed (exit {exit}): {output}");
        return file;
    }

    private static TimeSpan Cat(string file) => Timed(() => Shell($"cat '{file}' > /dev/null", null));

    /// <summary>Evicts this file's pages (only this file's) from the page cache, so the next reader reads the disk.</summary>
    private static void DropCache(string file)
    {
        var (exit, output) = Shell($"dd if='{file}' iflag=nocache count=0 status=none", null);
        if (exit != 0) throw new InvalidOperationException($"dropping the cached pages of {file} failed: {output}");
    }

    private static Measurement Program(string directory, string file)
    {
        int port = FreePort();
        using var subscriber = Subscriber(port);
        string program = Path.Combine(AppContext.BaseDirectory, "beamdaq-daq.dll");
        (int Exit, string Output) result = default;
        var elapsed = Timed(() => result = Shell($"dotnet '{program}' replay '{file}' --speed max --publish tcp://127.0.0.1:{port}", directory));
        if (result.Exit != 0) throw new InvalidOperationException($"beamdaq-daq replay failed (exit {result.Exit}): {result.Output}");
        return new Measurement(elapsed, ReadSubscriber(subscriber));
    }

    private static Measurement InProcess(string file, bool subscribe)
    {
        int port = FreePort();
        using var subscriber = subscribe ? Subscriber(port) : null;
        using var log = new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();
        using var zmq = new ZmqContext();
        using var publisher = new EventPublisher(zmq, $"tcp://127.0.0.1:{port}");
        Thread.Sleep(500);   // the subscriber's connection and subscription, as the program's settle time
        var player = new ReplayPlayer(publisher, RealTimeClock.Instance, speed: null, log);
        ReplayResult played = null!;
        var elapsed = Timed(() => played = player.Play(file));
        if (played.EndState != BeamDAQ.Protocol.RunFiles.RunFileEndState.CleanEnd)
            throw new InvalidOperationException($"replay stopped early: {played.EndDescription}");
        return new Measurement(elapsed, subscriber is null ? null : ReadSubscriber(subscriber));
    }

    private static (Measurement, string Version) PythonReplay(string file)
    {
        int port = FreePort();
        using var subscriber = Subscriber(port);
        using var peer = Python("pub", file, $"tcp://127.0.0.1:{port}");
        string stdout = peer.StandardOutput.ReadToEnd();
        peer.WaitForExit();
        if (peer.ExitCode != 0) throw new InvalidOperationException($"replay_peer.py pub failed: {peer.StandardError.ReadToEnd()}");
        var json = JsonDocument.Parse(stdout).RootElement;
        string version = $"Python {json.GetProperty("python").GetString()}, pyzmq {json.GetProperty("pyzmq").GetString()}, libzmq {json.GetProperty("libzmq").GetString()}";
        return (new Measurement(TimeSpan.FromSeconds(json.GetProperty("seconds").GetDouble()), ReadSubscriber(subscriber)), version);
    }

    private static Process Subscriber(int port)
    {
        var process = Python("sub", $"tcp://127.0.0.1:{port}", "3");
        string? line = process.StandardOutput.ReadLine();
        if (line != "ready") throw new InvalidOperationException($"replay_peer.py sub did not start: {line} {process.StandardError.ReadToEnd()}");
        return process;
    }

    private static Received ReadSubscriber(Process subscriber)
    {
        if (!subscriber.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            subscriber.Kill();
            throw new TimeoutException("the pyzmq subscriber did not finish within 120 s");
        }
        var json = JsonDocument.Parse(subscriber.StandardOutput.ReadToEnd()).RootElement;
        return new Received(json.GetProperty("messages").GetInt64(), json.GetProperty("run_end").GetBoolean());
    }

    private static Process Python(params string[] args) => PythonPeer.Start("replay_peer.py", args);

    private static TimeSpan Timed(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed;
    }

    private static (int Exit, string Output) Shell(string command, string? workingDirectory)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
            start.Environment["BEAMDAQ_LOG_DIR"] = Path.Combine(workingDirectory, "logs");
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Format(int events, long bytes, TimeSpan recording, Dictionary<string, List<Measurement>> rows, string peerVersion, bool quick)
    {
        var c = CultureInfo.InvariantCulture;
        double Median(string row) => rows[row].Select(m => m.Elapsed.TotalSeconds).Order().ElementAt(rows[row].Count / 2);
        double Best(string row) => rows[row].Min(m => m.Elapsed.TotalSeconds);
        double Rate(double seconds) => bytes / seconds / 1e6;
        double catMedian = Median(CatRow), catDroppedMedian = Median(CatDroppedRow);
        bool IsDropped(string row) => row.Contains("pages dropped", StringComparison.Ordinal);

        var md = new StringBuilder();
        md.AppendLine("## Replay: a recorded run republished at full speed (`replay`)");
        md.AppendLine();
        md.AppendLine(string.Create(c,
            $"A run recorded by `beamdaq-daq run` ({events:N0} bunches of {Channels} × {Samples:N0} samples, {bytes / 1e6:N0} MB, recorded in {recording.TotalSeconds:F1} s) " +
            $"is republished with `--speed max` and compared with the raw read speed of the same file in the same cache state: cached, or with " +
            $"this file's pages dropped before the reader (`dd iflag=nocache count=0`), so that it comes from the (virtual) disk. " +
            $"At full speed the PUB socket drops what a slower subscriber cannot take (replay never blocks; the program reports the refusals): " +
            $"*delivered* is the part of the file that reached the subscriber per second of replay. " +
            $"The subscriber is a pyzmq SUB in its own process (`peers/replay_peer.py sub`), counting what arrives; the Python replayer is " +
            $"`peers/replay_peer.py pub` ({peerVersion}). {Rounds} rounds, rows alternating; median and best wall time" +
            $"{(quick ? "; quick smoke run: figures are rough" : "")}. Load average at the end: {LoadAverage()}."));
        md.AppendLine();
        md.AppendLine("| Reader | median | best | MB/s (median) | share of raw read (same cache state) | subscriber received (last round) | delivered MB/s (last round) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (row, measurements) in rows)
        {
            var last = measurements[^1].Received;
            string received = last is null ? "—" : string.Create(c, $"{last.Messages:N0} of {events + 2:N0}{(last.RunEnd ? "" : ", no run.end")}");
            string delivered = last is null ? "—" : string.Create(c, $"{Rate(measurements[^1].Elapsed.TotalSeconds) * last.Messages / (events + 2):N0}");
            double share = (IsDropped(row) ? catDroppedMedian : catMedian) / Median(row);
            md.AppendLine(string.Create(c,
                $"| {row} | {Median(row):F3} s | {Best(row):F3} s | {Rate(Median(row)):N0} | {share:P0} | {received} | {delivered} |"));
        }
        md.AppendLine();
        double fromDisk = catDroppedMedian / Median(InProcessDroppedRow);
        double vsPython = Median(PythonRow) / Median(InProcessRow);
        md.AppendLine(string.Create(c,
            $"Targets: from the disk, the replay path without a subscriber at least 50 % of the raw read speed — {fromDisk:P0} " +
            $"({(fromDisk >= 0.5 ? "met" : "NOT met")}); with the pyzmq subscriber at least the Python replayer's rate — " +
            $"{Rate(Median(InProcessRow)):N0} vs {Rate(Median(PythonRow)):N0} MB/s = {vsPython:F2}× ({(vsPython >= 1 ? "met" : "NOT met")})."));
        md.AppendLine();
        md.AppendLine(string.Create(c,
            $"Cached, without a subscriber, replay runs at {catMedian / Median(InProcessNoSubscriberRow):P0} of `cat`'s memory copy (reported, not targeted: " +
            $"replay checks the CRC-32C of every record and marks every event, `cat` only copies pages)."));
        md.AppendLine();
        md.AppendLine("Reproduce: `dotnet build tests/BeamDAQ.Benchmarks -c Release && dotnet tests/BeamDAQ.Benchmarks/bin/Release/net10.0/beamdaq-bench.dll replay`");
        return md.ToString().TrimEnd();
    }

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
}
