using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport;

public sealed class SequenceTrackerTests
{
    private readonly SequenceTracker _tracker = new();

    [Fact]
    public void WhenTheFirstMessageOfAStreamArrivesThenNothingCountsAsMissed()
    {
        var first = _tracker.Observe("evt", 1000);
        Assert.Equal(0ul, first.Missed);
        Assert.False(first.Reset);
        Assert.Null(first.Previous);
    }

    [Fact]
    public void WhenSequencesAreConsecutiveThenNoGapIsReported()
    {
        for (ulong seq = 1; seq <= 5; seq++)
            Assert.Equal(new SequenceObservation(0, false, seq == 1 ? null : seq - 1), _tracker.Observe("evt", seq));
    }

    [Fact]
    public void WhenSequencesSkipThenTheSkippedCountIsTheGap()
    {
        _tracker.Observe("evt", 1);
        Assert.Equal(3ul, _tracker.Observe("evt", 5).Missed);
        Assert.Equal(0ul, _tracker.Observe("evt", 6).Missed);
    }

    [Fact]
    public void WhenTopicsInterleaveThenEachTopicIsItsOwnStream()
    {
        _tracker.Observe("evt", 10);
        _tracker.Observe("daq.status", 1);
        Assert.Equal(0ul, _tracker.Observe("evt", 11).Missed);
        Assert.Equal(0ul, _tracker.Observe("daq.status", 2).Missed);
    }

    [Theory]
    [InlineData(1ul)]
    [InlineData(0ul)]
    [InlineData(7ul)]
    public void WhenTheSequenceGoesBackThenItIsAResetAndNotAGapOfTwoToThe64(ulong restartedAt)
    {
        _tracker.Observe("evt", 41);
        _tracker.Observe("evt", 42);

        var restart = _tracker.Observe("evt", restartedAt);

        Assert.True(restart.Reset);
        Assert.Equal(0ul, restart.Missed);
        Assert.Equal(42ul, restart.Previous);
        Assert.Equal(0ul, _tracker.Observe("evt", restartedAt + 1).Missed); // counting goes on from the new start
    }

    [Fact]
    public void WhenTheSequenceWrapsAtTheTopOfTheRangeThenItIsAReset()
    {
        _tracker.Observe("evt", ulong.MaxValue);
        var next = _tracker.Observe("evt", 0);
        Assert.True(next.Reset);
        Assert.Equal(0ul, next.Missed);
    }
}
