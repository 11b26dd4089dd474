using System.Diagnostics;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.SlowControl.Transport;
using BeamDAQ.Control.Tests.Facility.Support;
using Serilog.Core;

namespace BeamDAQ.Control.Tests.SlowControl;

public class LineClientTests
{
    private static readonly LineClientOptions Patient = new()
    {
        ReadTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(1),
        InitialBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(4),
    };

    private static LineClient Client(TestFacility facility, FacilityDevice device) =>
        new(device.Name(), facility.Endpoint(device), Patient, facility.Clock, Logger.None);

    [Fact]
    public async Task WhenTheDeviceAnswersThenTheReplyLineIsReturned()
    {
        await using var facility = TestFacility.Start();
        await using var client = Client(facility, FacilityDevice.Magnet);
        var reply = await client.QueryAsync("*IDN?");
        Assert.True(reply.IsOk, reply.ToString());
        Assert.Equal("BeamDAQ,SIM-MPS-5018,MPS0001,1.0", reply.Value);
        Assert.Equal(1, client.Connects);
    }

    [Fact]
    public async Task WhenTheDeviceStopsAnsweringThenTheQueryIsLostWithinItsTimeOut()
    {
        await using var facility = TestFacility.Start();
        await using var client = facility.ImpatientLine(FacilityDevice.HighVoltage);
        Assert.True((await client.QueryAsync("*IDN?")).IsOk);
        facility.Sim.Server(FacilityDevice.HighVoltage).Unresponsive = true;

        var watch = Stopwatch.StartNew();
        var reply = await client.QueryAsync("MEAS:VOLT?");
        watch.Stop();
        Assert.Equal(DeviceOutcome.Lost, reply.Outcome);
        Assert.Contains("no answer to 'MEAS:VOLT?' within 500 ms", reply.Problem);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(10));
        Assert.False(client.IsConnected); // a late reply must not be taken for the next query's
    }

    [Fact]
    public async Task WhenLostThenFurtherQueriesFailAtOnceUntilTheBackOffHasPassedThenItReconnects()
    {
        await using var facility = TestFacility.Start();
        var server = facility.Sim.Server(FacilityDevice.Beam);
        await using var client = Client(facility, FacilityDevice.Beam);
        Assert.True((await client.QueryAsync("*IDN?")).IsOk);
        server.Pause();

        var first = await client.QueryAsync("BEAM:LAMBDA?");
        Assert.Equal(DeviceOutcome.Lost, first.Outcome);
        Assert.Contains("cannot connect", first.Problem);
        server.Resume();

        // Back-off 1 s: no connection attempt before the clock has moved on, and no waiting either.
        var watch = Stopwatch.StartNew();
        var during = await client.QueryAsync("BEAM:LAMBDA?");
        Assert.Equal(DeviceOutcome.Lost, during.Outcome);
        Assert.Contains("next reconnect attempt in 1.0 s", during.Problem);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1));
        Assert.Equal(1, client.Connects);

        facility.Clock.AdvanceSeconds(1);
        var after = await client.QueryAsync("BEAM:LAMBDA?");
        Assert.True(after.IsOk, after.ToString());
        Assert.Equal(2, client.Connects);
    }

    [Fact]
    public async Task WhenFailuresRepeatThenTheBackOffDoublesUpToItsMaximum()
    {
        await using var facility = TestFacility.Start();
        facility.Sim.Server(FacilityDevice.Beam).Pause();
        await using var client = Client(facility, FacilityDevice.Beam);
        var waits = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            Assert.True((await client.QueryAsync("BEAM?")).IsLost); // a real connection attempt
            var during = await client.QueryAsync("BEAM?");
            waits.Add(during.Problem[(during.Problem.LastIndexOf("in ", StringComparison.Ordinal) + 3)..]);
            facility.Clock.AdvanceSeconds(10);
        }
        Assert.Equal(["1.0 s", "2.0 s", "4.0 s", "4.0 s"], waits);
    }

    [Fact]
    public async Task WhenTheDeviceDropsTheConnectionThenTheNextQueryReconnectsAndSucceeds()
    {
        await using var facility = TestFacility.Start();
        await using var client = Client(facility, FacilityDevice.Magnet);
        Assert.True((await client.QueryAsync("*IDN?")).IsOk);
        facility.Sim.Server(FacilityDevice.Magnet).DropConnections();
        // Closing is asynchronous on the server side; the client must cope either way.
        var reply = await client.QueryAsync("MEAS:CURR?");
        Assert.True(reply.IsOk, reply.ToString());
        Assert.Equal(2, client.Connects);
        Assert.Equal(0, client.Failures);
    }

    [Fact]
    public async Task WhenNothingListensThenTheQueryIsLostNotThrown()
    {
        await using var facility = TestFacility.Start();
        var endpoint = facility.Endpoint(FacilityDevice.Magnet);
        await facility.Sim.DisposeAsync();
        await using var client = new LineClient("magnet", endpoint, Patient, facility.Clock, Logger.None);
        var reply = await client.QueryAsync("*IDN?");
        Assert.Equal(DeviceOutcome.Lost, reply.Outcome);
        Assert.Equal(1, client.Failures);
    }
}
