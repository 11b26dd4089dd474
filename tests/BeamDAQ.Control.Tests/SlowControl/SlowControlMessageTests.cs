using BeamDAQ.Control.SlowControl;

namespace BeamDAQ.Control.Tests.SlowControl;

public class SlowControlMessageTests
{
    [Fact]
    public void WhenAReadingIsPublishedThenTheScMapCarriesItsFieldsAndTimeInNanoseconds()
    {
        var t = new DateTimeOffset(2024, 5, 6, 12, 0, 0, 250, TimeSpan.Zero);
        var map = new SlowControlReading("magnet", "current", 11.869, "A", t).ToMessage().ToMap();
        Assert.Equal((t - DateTimeOffset.UnixEpoch).Ticks * 100, map["t_ns"]);
        Assert.Equal("magnet", map["device"]);
        Assert.Equal("current", map["quantity"]);
        Assert.Equal(11.869, map["value"]);
        Assert.Equal("A", map["unit"]);
    }
}
