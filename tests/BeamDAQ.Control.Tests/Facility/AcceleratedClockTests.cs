using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Tests.Facility.Support;

namespace BeamDAQ.Control.Tests.Facility;

public class AcceleratedClockTests
{
    [Fact]
    public void WhenTheBaseClockAdvancesThenFacilityTimeAdvancesScaleTimesFaster()
    {
        var wall = new TestClock();
        var start = wall.UtcNow;
        var facility = new AcceleratedClock(wall, 60);
        Assert.Equal(start, facility.UtcNow);
        wall.AdvanceSeconds(2);
        Assert.Equal(start + TimeSpan.FromMinutes(2), facility.UtcNow);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.PositiveInfinity)]
    public void WhenTheScaleIsNotAPositiveFiniteNumberThenConstructionFails(double scale)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AcceleratedClock(new TestClock(), scale));
    }
}
