using BeamDAQ.Daq.Digitizers.Simulation.Faults;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Daq.Tests.Digitizers;

public sealed class FaultPlanTests
{
    [Fact]
    public void WhenTheSpecIsValidThenEveryItemIsParsedAndPrintsBackTheSame()
    {
        var plan = FaultPlan.Parse("remove@100:2s,remove@500:5s,missing@200x3,slow@50:300ms");

        Assert.Equal(
        [
            new DeviceRemovalFault(100, TimeSpan.FromSeconds(2)),
            new DeviceRemovalFault(500, TimeSpan.FromSeconds(5)),
            new MissingTriggerFault(200, 3),
            new SlowReadFault(50, 1, TimeSpan.FromMilliseconds(300)),
        ], plan.Faults);
        Assert.Equal("remove@100:2s,remove@500:5s,missing@200x3,slow@50:300ms", plan.ToString());
    }

    [Theory]
    [InlineData("missing@7", 7, 1)]
    [InlineData(" MISSING@7X2 ", 7, 2)]
    public void WhenAMissingItemHasNoCountThenItIsOneBunch(string spec, int at, int count) =>
        Assert.Equal(new MissingTriggerFault(at, count), Assert.Single(FaultPlan.Parse(spec).Faults));

    [Theory]
    [InlineData("slow@5x4:1.5s", 5, 4, 1500)]
    [InlineData("remove@3:1min", 3, 0, 60_000)]
    public void WhenDurationsHaveUnitsThenTheyAreConverted(string spec, int at, int count, double ms)
    {
        var fault = Assert.Single(FaultPlan.Parse(spec).Faults);
        Assert.Equal(at, fault.AtEvent);
        switch (fault)
        {
            case SlowReadFault s: Assert.Equal(count, s.Count); Assert.Equal(ms, s.Latency.TotalMilliseconds); break;
            case DeviceRemovalFault r: Assert.Equal(ms, r.Duration.TotalMilliseconds); break;
            default: Assert.Fail($"unexpected {fault}"); break;
        }
    }

    [Fact]
    public void WhenTheSpecIsBlankThenThereAreNoFaults()
    {
        Assert.True(FaultPlan.Parse(null).IsEmpty);
        Assert.True(FaultPlan.Parse("  ").IsEmpty);
    }

    [Theory]
    [InlineData("remove@100", "needs a duration")]
    [InlineData("remove@100x2:1s", "no count")]
    [InlineData("remove@abc:2s", "event number K 'abc'")]
    [InlineData("remove@0:2s", "≥ 1")]
    [InlineData("remove@10:2", "unit ms, s or min")]
    [InlineData("remove@10:-2s", "unit ms, s or min")]
    [InlineData("missing@20:2s", "count, not a duration")]
    [InlineData("missing@20x0", "count N '0'")]
    [InlineData("slow@50", "extra latency")]
    [InlineData("explode@5", "unknown fault 'explode'")]
    [InlineData("remove100:2s", "kind@event")]
    [InlineData("remove@1:1s,,missing@2", "item 2 is empty")]
    [InlineData("remove@5:1s,remove@5:2s", "two removals at event 5")]
    [InlineData("remove@1:1s,slow@x:1s", "item 2 'slow@x:1s'")]
    public void WhenTheSpecIsMalformedThenTheErrorNamesTheItemAndWhatIsAllowed(string spec, string expected)
    {
        var e = Assert.Throws<FaultSpecException>(() => FaultPlan.Parse(spec));
        Assert.Contains(expected, e.Message);
        Assert.Contains(spec, e.Message);
        Assert.IsAssignableFrom<UsageException>(e); // bad usage: exit code 2
    }
}
