using System.Diagnostics;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport.Support;

/// <summary>
/// Bounded waits on conditions, never on the clock alone. A PUB/SUB connection drops everything published
/// before the subscription reaches the publisher ("slow joiner"), so tests publish until the first message
/// arrives instead of sleeping and hoping.
/// </summary>
public static class Wait
{
    /// <summary>Generous: only a broken feature or a frozen machine gets near it.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Calls <paramref name="bind"/> until the endpoint is free: libzmq closes a released listener on its I/O
    /// thread, so a port just given up can stay busy (EADDRINUSE) for a moment.
    /// </summary>
    public static T BindWhenFree<T>(Func<T> bind)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return bind();
            }
            catch (ZmqException e) when (e.ErrorNumber == 98 && clock.Elapsed < Deadline) // EADDRINUSE
            {
                Thread.Yield();
            }
        }
    }

    public static void BindWhenFree(ZmqSocket socket, string endpoint) => BindWhenFree(() => { socket.Bind(endpoint); return true; });

    /// <summary>Sends the message until <paramref name="subscriber"/> receives a message; returns its frames.</summary>
    public static List<byte[]> SendUntilReceived(ZmqSocket publisher, byte[] topic, byte[] payload, ZmqSocket subscriber)
    {
        var frames = new List<byte[]>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            publisher.TrySendMultipart(topic, payload, dontWait: true);
            if (subscriber.TryReceiveMultipart(frames, Step)) return frames;
        }
        throw new TimeoutException($"no message arrived within {Deadline.TotalSeconds} s of publishing");
    }

    /// <summary>Calls <paramref name="publish"/> until <paramref name="subscriber"/> delivers a message; returns it.</summary>
    public static ReceivedMessage PublishUntilReceived(Action publish, EventSubscriber subscriber)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            publish();
            if (subscriber.TryReceive(Step, out var message)) return message;
        }
        throw new TimeoutException($"no message arrived within {Deadline.TotalSeconds} s of publishing");
    }

    /// <summary>Receives until a message on <paramref name="topic"/> arrives; returns the messages before it.</summary>
    public static List<ReceivedMessage> ReceiveUntilTopic(EventSubscriber subscriber, string topic)
    {
        var before = new List<ReceivedMessage>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            if (!subscriber.TryReceive(Step, out var message)) continue;
            if (message.Topic == topic) return before;
            before.Add(message);
        }
        throw new TimeoutException($"topic '{topic}' did not arrive within {Deadline.TotalSeconds} s");
    }
}
