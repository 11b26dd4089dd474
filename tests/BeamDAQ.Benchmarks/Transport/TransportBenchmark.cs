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
/// Figures are receiver-side: a fixed message count after a warm-up, with high-water marks large enough that
/// the publisher is never the one throttled by drops.
/// </summary>
public sealed class TransportBenchmark : IBenchmarkSuite
{
    public const string Topic = "evt";
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(2);

    private static readonly Case[] Cases =
    [
        // pyzmq is fastest with zero-copy frames for large payloads and with its copying path for small ones.
        new("80 kB event", 80 * 1024, FullCount: 40_000, QuickCount: 2_000, Hwm: 1_000, PyzmqCopy: false, TargetRatio: 1.0, TargetIsBytes: true),
        new("200 B message", 200, FullCount: 3_000_000, QuickCount: 100_000, Hwm: 100_000, PyzmqCopy: true, TargetRatio: 2.0, TargetIsBytes: false),
    ];

    public string Name => "transport";

    public string Run(bool quick)
    {
        int rounds = quick ? 1 : 3;
        var results = new List<(Case Case, string Path, List<Measurement> Rounds)>();
        foreach (var c in Cases)
        {
            long count = quick ? c.QuickCount : c.FullCount;
            long warmup = count / 10;
            var span = new List<Measurement>();
            var copy = new List<Measurement>();
            var pyzmq = new List<Measurement>();
            for (int r = 0; r < rounds; r++)
            {
                span.Add(MeasureBeamDaq(c, count, warmup, "span"));
                pyzmq.Add(MeasurePyzmq(c, count, warmup));
                copy.Add(MeasureBeamDaq(c, count, warmup, "copy"));
            }
            results.Add((c, "BeamDAQ, payload read in place (ZmqMessage span)", span));
            results.Add((c, "BeamDAQ, payload copied once into a kept array", copy));
            results.Add((c, $"pyzmq {PyzmqVersion()} (copy={(c.PyzmqCopy ? "True" : "False")})", pyzmq));
        }
        return Format(results, rounds, quick);
    }

    private static Measurement MeasureBeamDaq(Case c, long count, long warmup, string mode)
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var pub = context.CreateSocket(ZmqSocketType.Pub);
        pub.SendHighWaterMark = c.Hwm;
        pub.Bind("tcp://127.0.0.1:*");
        using var child = ChildProcess.Start("transport-sub", pub.LastEndpoint, Invariant(count), Invariant(warmup), Invariant(c.Hwm), mode);
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        var exited = child.WaitForExitAsync();

        var (sent, allocated) = Publish(pub, c.Size, exited, child);
        child.WaitForExit();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"transport-sub child exited with {child.ExitCode}: {stderr.Result}");
        var result = JsonDocument.Parse(stdout.Result).RootElement;
        return Measurement.From(result, senderAllocatedPerMessage: (double)allocated / sent);
    }

    /// <summary>The sender's hot loop: the same two spans every time, nothing allocated per message.</summary>
    private static (long Sent, long Allocated) Publish(ZmqSocket pub, int size, Task receiverExited, Process receiver)
    {
        ReadOnlySpan<byte> topic = "evt"u8;
        var payload = new byte[size];
        var clock = Stopwatch.StartNew();
        long sent = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        while (!receiverExited.IsCompleted)
        {
            pub.TrySendMultipart(topic, payload, dontWait: true); // PUB drops rather than block when the queue is full
            if ((++sent & 0xFFF) == 0 && clock.Elapsed > RunLimit)
            {
                receiver.Kill(entireProcessTree: true);
                throw new TimeoutException($"the receiver did not finish within {RunLimit}");
            }
        }
        return (sent, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
    }

    private static Measurement MeasurePyzmq(Case c, long count, long warmup)
    {
        string copy = c.PyzmqCopy ? "1" : "0";
        using var pub = StartPython("pub", "tcp://127.0.0.1:*", Invariant(c.Size), Invariant(c.Hwm), copy);
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

    private static Process StartPython(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "peers", "transport_peer.py"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
    }

    private static string PyzmqVersion()
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", "import zmq; print(zmq.__version__, zmq.zmq_version())"])
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
                      $"receiver-side rate over a fixed message count after a 10 % warm-up, median of {rounds} round(s)" +
                      $"{(quick ? " (quick smoke run: figures are rough)" : "")}. MB/s counts payload bytes (10^6 B). " +
                      $"Machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} at the end of the run.");
        md.AppendLine();
        md.AppendLine("| Message | Path | messages/s | MB/s | rounds (messages/s) | sender alloc/msg | receiver alloc/msg |");
        md.AppendLine("|---|---|---:|---:|---|---:|---:|");
        foreach (var (c, path, measured) in results)
        {
            var median = Median(measured);
            string roundsText = string.Join(", ", measured.Select(m => Invariant(m.MessagesPerSecond, "N0")));
            string sender = median.SenderAllocatedPerMessage is { } s ? Invariant(s, "N1") + " B" : "n/a";
            string receiver = median.ReceiverAllocatedPerMessage is { } r ? Invariant(r, "N1") + " B" : "n/a";
            md.AppendLine($"| {c.Name} | {path} | {Invariant(median.MessagesPerSecond, "N0")} | {Invariant(median.MegabytesPerSecond(c.Size), "N0")} | {roundsText} | {sender} | {receiver} |");
        }
        md.AppendLine();
        md.AppendLine("Targets (BeamDAQ's in-place path against pyzmq's best path, medians):");
        md.AppendLine();
        foreach (var c in Cases)
        {
            var ours = Median(results.First(r => r.Case == c).Rounds);
            var theirs = Median(results.Last(r => r.Case == c).Rounds);
            double ratio = ours.MessagesPerSecond / theirs.MessagesPerSecond; // same size, so also the MB/s ratio
            string what = c.TargetIsBytes
                ? $"{Invariant(ours.MegabytesPerSecond(c.Size), "N0")} MB/s vs pyzmq {Invariant(theirs.MegabytesPerSecond(c.Size), "N0")} MB/s"
                : $"{Invariant(ours.MessagesPerSecond, "N0")} msg/s vs pyzmq {Invariant(theirs.MessagesPerSecond, "N0")} msg/s";
            md.AppendLine($"- {c.Name}: ≥ {Invariant(c.TargetRatio, "0.#")}× pyzmq — {what} = {Invariant(ratio, "F2")}× — {(ratio >= c.TargetRatio ? "met" : "NOT met")}");
        }
        md.AppendLine();
        md.AppendLine("Reproduce: `dotnet build tests/BeamDAQ.Benchmarks -c Release && dotnet tests/BeamDAQ.Benchmarks/bin/Release/net10.0/beamdaq-bench.dll transport`");
        return md.ToString().TrimEnd();
    }

    private static Measurement Median(List<Measurement> rounds) => rounds.OrderBy(m => m.MessagesPerSecond).ElementAt(rounds.Count / 2);

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Invariant(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private sealed record Case(string Name, int Size, long FullCount, long QuickCount, int Hwm, bool PyzmqCopy, double TargetRatio, bool TargetIsBytes);

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
