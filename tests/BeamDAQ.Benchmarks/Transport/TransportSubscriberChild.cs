using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Benchmarks.Transport;

/// <summary>
/// <c>beamdaq-bench --child transport-sub ENDPOINT COUNT WARMUP HWM MODE</c>: the receiving process of the
/// <c>transport</c> suite. Connects a SUB socket, lets WARMUP messages pass (JIT tiering, TCP windows), then
/// times COUNT two-frame messages and prints <c>{"count", "bytes", "seconds", "allocated"}</c>.
/// MODE <c>span</c> reads each payload in place from libzmq's buffer; <c>copy</c> also copies it once into a
/// reused array, which is what a consumer that keeps the bytes pays.
/// </summary>
public sealed class TransportSubscriberChild : IBenchmarkChild
{
    public string Name => "transport-sub";

    public int Run(string[] arguments)
    {
        if (arguments.Length != 5 || arguments[4] is not ("span" or "copy"))
        {
            Console.Error.WriteLine("usage: beamdaq-bench --child transport-sub ENDPOINT COUNT WARMUP HWM span|copy");
            return 2;
        }
        string endpoint = arguments[0];
        long count = long.Parse(arguments[1], CultureInfo.InvariantCulture);
        long warmup = long.Parse(arguments[2], CultureInfo.InvariantCulture);
        int hwm = int.Parse(arguments[3], CultureInfo.InvariantCulture);
        bool copy = arguments[4] == "copy";

        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.ReceiveHighWaterMark = hwm;
        sub.ReceiveTimeout = TimeSpan.FromSeconds(30); // a stalled publisher fails the run instead of hanging it
        sub.Subscribe(TransportBenchmark.Topic);
        sub.Connect(endpoint);
        using var topic = new ZmqMessage();
        using var payload = new ZmqMessage();
        byte[] kept = [];

        Receive(sub, topic, payload, warmup, copy, ref kept);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        long bytes = Receive(sub, topic, payload, count, copy, ref kept);
        double seconds = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Console.WriteLine(JsonSerializer.Serialize(new { count, bytes, seconds, allocated }));
        return 0;
    }

    private static long Receive(ZmqSocket sub, ZmqMessage topic, ZmqMessage payload, long count, bool copy, ref byte[] kept)
    {
        long bytes = 0;
        for (long i = 0; i < count; i++)
        {
            if (!sub.TryReceive(topic) || !topic.More || !sub.TryReceive(payload))
                throw new InvalidOperationException($"message {i} of {count} did not arrive within the receive time-out");
            var data = payload.Data;
            if (copy)
            {
                if (kept.Length < data.Length) kept = new byte[data.Length];
                data.CopyTo(kept);
            }
            bytes += data.Length;
        }
        return bytes;
    }
}
