using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Benchmarks.Transport;

/// <summary>
/// <c>transport</c>: PUB → SUB throughput between two processes over loopback TCP, two frames per message
/// (topic, payload), for an 80 kB event and a 200 B status-sized message. BeamDAQ's binding (this process
/// publishes, a <c>--child transport-sub</c> process receives) runs side by side with pyzmq (two
/// <c>peers/transport_peer.py</c> processes), alternating round by round so both see the same machine.
/// Figures are receiver-side: a fixed message count after a warm-up, with large high-water marks. Per message
/// size both sides run with the publisher settings under which pyzmq is fastest (see <see cref="Cases"/>).
/// </summary>
public sealed class TransportBenchmark : IBenchmarkSuite
{
    public const string Topic = "evt";
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(2);

    private static readonly Case[] Cases =
    [
        // pyzmq is fastest with zero-copy frames and a waiting publisher for large payloads, and with its
        // copying path and libzmq's default dropping publisher for small ones; BeamDAQ runs under the same settings.
        new("80 kB event", 80 * 1024, FullCount: 15_000, QuickCount: 2_000, Hwm: 1_000, WaitWhenFull: true, PyzmqCopy: false,
            TargetRatio: 1.0, TargetIsBytes: true,
            [new("BeamDAQ, zero-copy send (ZmqSharedBuffer), payload read in place", SendShared: true, ReceiverMode: "span"),
             new("BeamDAQ, send from a span (one copy into libzmq), payload read in place", SendShared: false, ReceiverMode: "span")]),
        new("200 B message", 200, FullCount: 500_000, QuickCount: 100_000, Hwm: 100_000, WaitWhenFull: false, PyzmqCopy: true,
            TargetRatio: 2.0, TargetIsBytes: false,
            [new("BeamDAQ, send from a span, payload read in place", SendShared: false, ReceiverMode: "span"),
             new("BeamDAQ, send from a span, payload copied once into a kept array", SendShared: false, ReceiverMode: "copy")]),
    ];

    public string Name => "transport";

    public string Run(bool quick)
    {
        // Many short rounds rather than a few long ones: on a shared machine other work comes and goes, and
        // alternating short rounds exposes both implementations to it alike.
        int rounds = quick ? 1 : 7;
        var results = new List<(Case Case, string Path, List<Measurement> Rounds)>();
        foreach (var c in Cases)
        {
            long count = quick ? c.QuickCount : c.FullCount;
            long warmup = count / 10;
            var ours = c.Paths.Select(_ => new List<Measurement>()).ToList();
            var pyzmq = new List<Measurement>();
            for (int r = 0; r < rounds; r++)
            {
                for (int p = 0; p < c.Paths.Length; p++) ours[p].Add(MeasureBeamDaq(c, c.Paths[p], count, warmup));
                pyzmq.Add(MeasurePyzmq(c, count, warmup));
            }
            for (int p = 0; p < c.Paths.Length; p++) results.Add((c, c.Paths[p].Name, ours[p]));
            results.Add((c, $"pyzmq {PyzmqVersion()}, copy={(c.PyzmqCopy ? "True" : "False")}", pyzmq));
        }
        return Format(results, rounds, quick);
    }

    private static Measurement MeasureBeamDaq(Case c, BeamDaqPath path, long count, long warmup)
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var pub = context.CreateSocket(ZmqSocketType.Pub);
        pub.SendHighWaterMark = c.Hwm;
        if (c.WaitWhenFull)
        {
            // A full queue makes the sender wait instead of building messages only to drop them: on two cores a
            // spinning sender takes CPU from the receiver it is being measured through.
            pub.FailSendWhenSubscriberFull = true;
            pub.SendTimeout = TimeSpan.FromSeconds(1);
        }
        pub.Bind("tcp://127.0.0.1:*");
        using var child = ChildProcess.Start("transport-sub", pub.LastEndpoint, Invariant(count), Invariant(warmup), Invariant(c.Hwm), path.ReceiverMode);
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        var exited = child.WaitForExitAsync();

        var (sent, allocated) = path.SendShared
            ? PublishShared(pub, c.Size, !c.WaitWhenFull, exited, child)
            : Publish(pub, c.Size, !c.WaitWhenFull, exited, child);
        child.WaitForExit();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"transport-sub child exited with {child.ExitCode}: {stderr.Result}");
        var result = JsonDocument.Parse(stdout.Result).RootElement;
        return Measurement.From(result, senderAllocatedPerMessage: (double)allocated / sent);
    }

    /// <summary>The sender's hot loop: the same two spans every time, nothing allocated per message.</summary>
    private static (long Sent, long Allocated) Publish(ZmqSocket pub, int size, bool dontWait, Task receiverExited, Process receiver)
    {
        ReadOnlySpan<byte> topic = "evt"u8;
        var payload = new byte[size];
        var clock = Stopwatch.StartNew();
        long sent = 0, attempts = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        while (!receiverExited.IsCompleted)
        {
            if (pub.TrySendMultipart(topic, payload, dontWait)) sent++;
            if ((++attempts & 0xFFF) == 0) CheckLimit(clock, receiver);
        }
        return (Math.Max(sent, 1), GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
    }

    /// <summary>As <see cref="Publish"/>, with the payload handed to libzmq by reference instead of copied.</summary>
    private static (long Sent, long Allocated) PublishShared(ZmqSocket pub, int size, bool dontWait, Task receiverExited, Process receiver)
    {
        ReadOnlySpan<byte> topic = "evt"u8;
        using var payload = new ZmqSharedBuffer(size);
        var clock = Stopwatch.StartNew();
        long sent = 0, attempts = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        while (!receiverExited.IsCompleted)
        {
            if (pub.TrySendMultipart(topic, payload, dontWait)) sent++;
            if ((++attempts & 0xFFF) == 0) CheckLimit(clock, receiver);
        }
        return (Math.Max(sent, 1), GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
    }

    private static void CheckLimit(Stopwatch clock, Process receiver)
    {
        if (clock.Elapsed <= RunLimit) return;
        receiver.Kill(entireProcessTree: true);
        throw new TimeoutException($"the receiver did not finish within {RunLimit}");
    }

    private static Measurement MeasurePyzmq(Case c, long count, long warmup)
    {
        string copy = c.PyzmqCopy ? "1" : "0";
        using var pub = StartPython("pub", "tcp://127.0.0.1:*", Invariant(c.Size), Invariant(c.Hwm), copy, c.WaitWhenFull ? "1" : "0");
        try
        {
            string endpoint = pub.StandardOutput.ReadLine()
                ?? throw new InvalidOperationException($"transport_peer.py pub printed no endpoint: {pub.StandardError.ReadToEnd()}");
            using var sub = StartPython("sub", endpoint, Invariant(count), Invariant(c.Hwm), copy, Invariant(warmup));
            var stderr = sub.StandardError.ReadToEndAsync();
            string stdout = sub.StandardOutput.ReadToEnd();
            if (!sub.WaitForExit(RunLimit)) sub.Kill(entireProcessTree: true);
            if (sub.ExitCode != 0)
                throw new InvalidOperationException($"transport_peer.py sub exited with {sub.ExitCode}: {stderr.Result}");
            return Measurement.From(JsonDocument.Parse(stdout).RootElement, senderAllocatedPerMessage: null);
        }
        finally
        {
            pub.Kill(entireProcessTree: true);
            pub.WaitForExit();
        }
    }

    private static Process StartPython(params string[] arguments) => PythonPeer.Start("transport_peer.py", arguments);

    private static string PyzmqVersion()
    {
        var start = new ProcessStartInfo(PythonPeer.Interpreter, ["-c", "import zmq; print(zmq.__version__, zmq.zmq_version())"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        string[] parts = process.StandardOutput.ReadToEnd().Trim().Split(' ');
        process.WaitForExit();
        return parts.Length == 2 ? $"{parts[0]} (libzmq {parts[1]})" : "(version unknown)";
    }

    private static string Format(List<(Case Case, string Path, List<Measurement> Rounds)> results, int rounds, bool quick)
    {
        var md = new StringBuilder();
        md.AppendLine("## ZeroMQ transport (`transport`)");
        md.AppendLine();
        md.AppendLine($"PUB → SUB between two processes on tcp://127.0.0.1, two frames per message (topic `{Topic}`, payload), " +
                      $"BeamDAQ's libzmq {ZmqContext.LibraryVersion} binding against pyzmq in the same run, rounds alternating; " +
                      $"receiver-side rate over a fixed message count after a 10 % warm-up, {rounds} alternating round(s), median and best" +
                      $"{(quick ? " (quick smoke run: figures are rough)" : "")}. MB/s counts payload bytes (10^6 B). " +
                      $"Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} at the end of the run.");
        md.AppendLine();
        md.AppendLine("| Message | Path | median messages/s | median MB/s | best messages/s | best MB/s | sender alloc/msg | receiver alloc/msg |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (c, path, measured) in results)
        {
            var median = Median(measured);
            var best = Best(measured);
            string sender = median.SenderAllocatedPerMessage is { } s ? Invariant(s, "N1") + " B" : "n/a";
            string receiver = median.ReceiverAllocatedPerMessage is { } r ? Invariant(r, "N1") + " B" : "n/a";
            md.AppendLine($"| {c.Name} | {path} | {Invariant(median.MessagesPerSecond, "N0")} | {Invariant(median.MegabytesPerSecond(c.Size), "N0")} | " +
                          $"{Invariant(best.MessagesPerSecond, "N0")} | {Invariant(best.MegabytesPerSecond(c.Size), "N0")} | {sender} | {receiver} |");
        }
        md.AppendLine();
        md.AppendLine("Targets (the first BeamDAQ path of each size against pyzmq; median against median, best against best):");
        md.AppendLine();
        foreach (var c in Cases)
        {
            var ours = results.First(r => r.Case == c).Rounds;
            var theirs = results.Last(r => r.Case == c).Rounds;
            md.AppendLine($"- {c.Name}: ≥ {Invariant(c.TargetRatio, "0.#")}× pyzmq's {(c.TargetIsBytes ? "MB/s" : "messages/s")} — " +
                          $"median {Verdict(c, Median(ours), Median(theirs))}; best {Verdict(c, Best(ours), Best(theirs))}");
        }
        md.AppendLine();
        md.AppendLine("Reproduce: `dotnet build tests/BeamDAQ.Benchmarks -c Release && dotnet tests/BeamDAQ.Benchmarks/bin/Release/net10.0/beamdaq-bench.dll transport`");
        return md.ToString().TrimEnd();
    }

    private static string Verdict(Case c, Measurement ours, Measurement theirs)
    {
        double ratio = ours.MessagesPerSecond / theirs.MessagesPerSecond; // same size, so also the MB/s ratio
        string figures = c.TargetIsBytes
            ? $"{Invariant(ours.MegabytesPerSecond(c.Size), "N0")} vs {Invariant(theirs.MegabytesPerSecond(c.Size), "N0")} MB/s"
            : $"{Invariant(ours.MessagesPerSecond, "N0")} vs {Invariant(theirs.MessagesPerSecond, "N0")} msg/s";
        return $"{figures} = {Invariant(ratio, "F2")}× ({(ratio >= c.TargetRatio ? "met" : "NOT met")})";
    }

    private static Measurement Best(List<Measurement> rounds) => rounds.MaxBy(m => m.MessagesPerSecond)!;

    private static Measurement Median(List<Measurement> rounds) => rounds.OrderBy(m => m.MessagesPerSecond).ElementAt(rounds.Count / 2);

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Invariant(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private sealed record Case(string Name, int Size, long FullCount, long QuickCount, int Hwm, bool WaitWhenFull, bool PyzmqCopy,
        double TargetRatio, bool TargetIsBytes, BeamDaqPath[] Paths);

    /// <param name="ReceiverMode">The child's MODE: <c>span</c> or <c>copy</c>.</param>
    private sealed record BeamDaqPath(string Name, bool SendShared, string ReceiverMode);

    private sealed record Measurement(double MessagesPerSecond, double? SenderAllocatedPerMessage, double? ReceiverAllocatedPerMessage)
    {
        public double MegabytesPerSecond(int size) => MessagesPerSecond * size / 1e6;

        public static Measurement From(JsonElement result, double? senderAllocatedPerMessage)
        {
            long count = result.GetProperty("count").GetInt64();
            double seconds = result.GetProperty("seconds").GetDouble();
            double? receiver = result.TryGetProperty("allocated", out var allocated) ? (double)allocated.GetInt64() / count : null;
            return new Measurement(count / seconds, senderAllocatedPerMessage, receiver);
        }
    }
}
