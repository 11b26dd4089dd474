using System.Diagnostics;
using BeamDAQ.Protocol.Tests.Transport.Support;
using BeamDAQ.Protocol.Transport;
using BeamDAQ.Protocol.Transport.Native;

namespace BeamDAQ.Protocol.Tests.Transport;

public sealed class ContextLifetimeTests
{
    [Fact]
    public void WhenTheContextIsDisposedThenItsOpenSocketsAreClosed()
    {
        var context = new ZmqContext();
        var socket = context.CreateSocket(ZmqSocketType.Pub);

        context.Dispose();

        Assert.Throws<ObjectDisposedException>(() => socket.Bind("tcp://127.0.0.1:*"));
        Assert.Throws<ObjectDisposedException>(() => context.CreateSocket(ZmqSocketType.Sub));
        socket.Dispose(); // a second close is harmless
        context.Dispose();
    }

    [Fact]
    public void WhenTheContextIsTerminatingThenSendReceiveAndPollReturnTerminatedAsValues()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        using var message = new ZmqMessage();
        var poller = new ZmqPoller();
        poller.Add(pull, ZmqPollEvents.In);

        ZmqChecked.ShutdownContext(context.Handle); // what Dispose does first, to wake blocked calls

        Assert.False(pull.TryReceive(message, Timeout.InfiniteTimeSpan));
        Assert.True(pull.ContextTerminated);
        Assert.False(push.TrySend([1], more: false, dontWait: false));
        Assert.True(push.ContextTerminated);
        Assert.Equal(0, poller.Poll(Timeout.InfiniteTimeSpan));
        Assert.True(poller.ContextTerminated);
    }

    [Fact]
    public void WhenTheContextIsDisposedWhileAnotherThreadWaitsForeverThenThatWaitEnds()
    {
        var context = new ZmqContext();
        var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.Subscribe("");
        sub.Bind("tcp://127.0.0.1:*");
        using var waiting = new ManualResetEventSlim();
        string? outcome = null;
        var receiver = new Thread(() =>
        {
            using var message = new ZmqMessage();
            waiting.Set();
            try
            {
                bool received = sub.TryReceive(message, Timeout.InfiniteTimeSpan);
                outcome = received ? "received" : sub.ContextTerminated ? "terminated" : "timed out";
            }
            catch (ObjectDisposedException)
            {
                outcome = "closed before the wait began";
            }
        });
        receiver.Start();
        Assert.True(waiting.Wait(Wait.Deadline));

        context.Dispose();

        Assert.True(receiver.Join(Wait.Deadline), "the receiving thread is still blocked after the context was disposed");
        Assert.Contains(outcome, new[] { "terminated", "closed before the wait began" });
    }

    [Fact]
    public void WhenTheContextIsDisposedThenQueuedMessagesAreStillDeliveredWithinTheLinger()
    {
        using var receiving = new ZmqContext();
        using var pull = receiving.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("tcp://127.0.0.1:*");
        var sending = new ZmqContext();
        var push = sending.CreateSocket(ZmqSocketType.Push);
        push.Linger = TimeSpan.FromSeconds(10);
        push.SendHighWaterMark = 0;
        push.Connect(pull.LastEndpoint);
        var frames = new List<byte[]>();
        push.Send(BitConverter.GetBytes(-1));
        Assert.True(pull.TryReceiveMultipart(frames, Wait.Deadline)); // connected

        const int count = 2000;
        var payload = new byte[1024];
        for (int i = 0; i < count; i++)
        {
            BitConverter.TryWriteBytes(payload, i);
            push.Send(payload);
        }
        sending.Dispose(); // closes the socket; termination waits until the queue is flushed

        for (int i = 0; i < count; i++)
        {
            Assert.True(pull.TryReceiveMultipart(frames, Wait.Deadline), $"message {i} of {count} was lost at shutdown");
            Assert.Equal(i, BitConverter.ToInt32(frames[0]));
        }
    }

    [Fact]
    public void WhenAMessageCannotBeDeliveredThenDisposeWaitsForTheLingerAndNoLonger()
    {
        var context = new ZmqContext();
        var push = context.CreateSocket(ZmqSocketType.Push);
        push.Linger = TimeSpan.FromMilliseconds(300);
        push.Connect("tcp://127.0.0.1:9"); // nobody listens: the message stays queued
        Assert.True(push.TrySend([1], more: false, dontWait: true));
        var clock = Stopwatch.StartNew();

        context.Dispose();

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), Wait.Deadline);
    }
}
