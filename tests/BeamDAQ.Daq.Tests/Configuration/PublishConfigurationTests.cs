using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Daq.Configuration;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Daq.Tests.Configuration;

/// <summary>The <c>publish:</c> section: the publication queue, its drop policy and the slow-subscriber policy.</summary>
public sealed class PublishConfigurationTests
{
    [Fact]
    public void WhenPublishKeysAreAbsentThenTheQueueDropsOldestAndSlowSubscribersLoseOnlyTheirOwn()
    {
        var c = DaqConfigurationLoader.Parse("", "defaults.yaml");
        Assert.Equal(64, c.PublishQueueLength);
        Assert.Equal(PublicationDropPolicy.DropOldest, c.PublishDropPolicy);
        Assert.Equal(PublisherDropPolicy.DropForFullSubscriberOnly, c.SlowSubscriber);
    }

    [Fact]
    public void WhenPublishKeysAreGivenThenTheyAreBoundAndRecordedInTheMap()
    {
        var c = DaqConfigurationLoader.Parse(
            "publish:\n  address: tcp://127.0.0.1:*\n  queue_length: 8\n  drop_policy: drop-newest\n  slow_subscriber: drop-for-all\n", "p.yaml");
        Assert.Equal("tcp://127.0.0.1:*", c.PublishAddress);
        Assert.Equal(8, c.PublishQueueLength);
        Assert.Equal(PublicationDropPolicy.DropNewest, c.PublishDropPolicy);
        Assert.Equal(PublisherDropPolicy.DropForAllSubscribers, c.SlowSubscriber);
        var publish = (IReadOnlyDictionary<string, object?>)c.ToMap()["publish"]!;
        Assert.Equal("drop-newest", publish["drop_policy"]);
        Assert.Equal("drop-for-all", publish["slow_subscriber"]);
        Assert.Equal(8L, publish["queue_length"]);
    }

    [Theory]
    [InlineData("publish:\n  queue_length: 0\n", "publish.queue_length = 0", "1 to 100000")]
    [InlineData("publish:\n  drop_policy: drop-random\n", "= drop-random", "drop-oldest, drop-newest")]
    [InlineData("publish:\n  address: tcp://127.0.0.1:x\n", "tcp://127.0.0.1:x", "* for any free port")]
    public void WhenAPublishValueIsOutOfBoundsThenTheProblemNamesKeyValueAndWhatIsAllowed(string yaml, string value, string allowed)
    {
        var e = Assert.Throws<ConfigurationException>(() => DaqConfigurationLoader.Parse(yaml, "bad.yaml"));
        Assert.Contains(value, e.Message);
        Assert.Contains(allowed, e.Message);
        Assert.Contains("bad.yaml:2", e.Message);
    }
}
