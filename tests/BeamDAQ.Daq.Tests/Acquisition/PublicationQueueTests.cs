using BeamDAQ.Daq.Acquisition.Publishing;

namespace BeamDAQ.Daq.Tests.Acquisition;

/// <summary>The bounded hand-over to the publisher thread: never waits, drops by its named policy, counts every drop.</summary>
public sealed class PublicationQueueTests
{
    [Fact]
    public void WhenTheConsumerStallsUnderDropOldestThenTheNewestMessagesWaitAndEveryLossIsCounted()
    {
        var queue = new PublicationQueue(4, PublicationDropPolicy.DropOldest);
        for (int i = 1; i <= 10; i++) Put(queue, i);

        Assert.Equal(6, queue.Dropped);
        Assert.Equal([7, 8, 9, 10], Drain(queue));
    }

    [Fact]
    public void WhenTheConsumerStallsUnderDropNewestThenTheOldestMessagesWaitAndEveryLossIsCounted()
    {
        var queue = new PublicationQueue(4, PublicationDropPolicy.DropNewest);
        int refused = 0;
        for (int i = 1; i <= 10; i++)
            if (!Put(queue, i)) refused++;

        Assert.Equal(6, refused);
        Assert.Equal(6, queue.Dropped);
        Assert.Equal([1, 2, 3, 4], Drain(queue));
    }

    [Fact]
    public void WhenTheConsumerKeepsUpThenNothingIsDroppedAndOrderIsKept()
    {
        var queue = new PublicationQueue(2, PublicationDropPolicy.DropOldest);
        var received = new List<int>();
        for (int i = 1; i <= 100; i++)
        {
            Put(queue, i);
            received.AddRange(Drain(queue));
        }
        Assert.Equal(0, queue.Dropped);
        Assert.Equal(Enumerable.Range(1, 100), received);
    }

    [Fact]
    public void WhenASlotIsReleasedUnsentThenItIsFreeAgainAndNotPublished()
    {
        var queue = new PublicationQueue(1, PublicationDropPolicy.DropNewest);
        Assert.True(queue.TryRent(out var slot));
        queue.Release(slot);
        Assert.True(queue.TryRent(out _));
        Assert.Equal(0, queue.Dropped);
        Assert.Equal(0, queue.Pending);
    }

    [Fact]
    public void WhenCompletedThenTheConsumerGetsWhatIsLeftAndThenStops()
    {
        var queue = new PublicationQueue(4, PublicationDropPolicy.DropOldest);
        Put(queue, 1);
        queue.Complete();
        Assert.True(queue.TryTake(TimeSpan.FromSeconds(5), out var slot));
        queue.Return(slot);
        Assert.False(queue.TryTake(TimeSpan.FromSeconds(5), out _));
    }

    [Theory]
    [InlineData(PublicationDropPolicy.DropOldest)]
    [InlineData(PublicationDropPolicy.DropNewest)]
    public void WhenTheQueueIsFullThenARunBoundaryDisplacesTheOldestWaitingEventAndIsNeverDropped(PublicationDropPolicy policy)
    {
        var queue = new PublicationQueue(3, policy);
        for (int i = 1; i <= 3; i++) Put(queue, i);

        var boundary = queue.RentEssential();
        boundary.Writer.Reset();
        boundary.Writer.WriteInt64(100);
        queue.Commit(boundary, "run.end");

        Assert.Equal(1, queue.Dropped);
        Assert.Equal([2, 3, 100], Drain(queue));
    }

    [Fact]
    public void WhenEveryWaitingMessageIsEssentialThenTheQueueGrowsRatherThanLoseOne()
    {
        var queue = new PublicationQueue(2, PublicationDropPolicy.DropOldest);
        for (int i = 1; i <= 4; i++)
        {
            var slot = queue.RentEssential();
            slot.Writer.Reset();
            slot.Writer.WriteInt64(i);
            queue.Commit(slot, "daq.status");
        }

        Assert.Equal(0, queue.Dropped);
        Assert.Equal([1, 2, 3, 4], Drain(queue));
    }

    private static bool Put(PublicationQueue queue, int value)
    {
        if (!queue.TryRent(out var slot)) return false;
        slot.Writer.Reset();
        slot.Writer.WriteInt64(value);
        queue.Commit(slot, "evt");
        return true;
    }

    private static List<int> Drain(PublicationQueue queue)
    {
        var values = new List<int>();
        while (queue.Pending > 0 && queue.TryTake(TimeSpan.Zero, out var slot))
        {
            var reader = new Protocol.MessagePack.MessagePackReader(slot.Writer.WrittenSpan);
            values.Add((int)reader.ReadInt64());
            queue.Return(slot);
        }
        return values;
    }
}
