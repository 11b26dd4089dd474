using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.Tests.Facility.Support;
using BeamDAQ.Protocol.Hosting;
using YamlDotNet.Serialization;

namespace BeamDAQ.Control.Tests.Facility;

public class FacilityConfigTests
{
    [Fact]
    public void WhenTheShippedFileIsLoadedThenItEqualsTheBuiltInDefaults()
    {
        var shipped = FacilityConfigLoader.Load(ConfigFiles.Facility);
        // Serialising both is a deep comparison that also catches a key the file forgot.
        var serializer = new SerializerBuilder().Build();
        Assert.Equal(serializer.Serialize(FacilityConfigLoader.Defaults()), serializer.Serialize(shipped));
    }

    [Fact]
    public void WhenTheBasePortIsGivenThenDevicesGetFixedOffsetsAndAnExplicitPortWins()
    {
        var config = FacilityConfigLoader.Parse("base_port: 6000\nhv: { port: 7000, host: 10.0.0.5 }\n", "test.yaml");
        var endpoints = FacilityEndpoints.FromConfig(config);
        Assert.Equal(new DeviceEndpoint("127.0.0.1", 6000), endpoints[FacilityDevice.Magnet]);
        Assert.Equal(new DeviceEndpoint("127.0.0.1", 6001), endpoints[FacilityDevice.Collimators]);
        Assert.Equal(new DeviceEndpoint("10.0.0.5", 7000), endpoints[FacilityDevice.HighVoltage]);
        Assert.Equal(new DeviceEndpoint("127.0.0.1", 6004), endpoints[FacilityDevice.Beam]);
        Assert.Equal(6103, FacilityEndpoints.FromConfig(config, basePortOverride: 6100)[FacilityDevice.Temperatures].Port);
    }

    [Fact]
    public void WhenAKeyIsUnknownThenLoadingFailsNamingTheFileLineAndKey()
    {
        var e = Assert.Throws<FacilityConfigException>(() =>
            FacilityConfigLoader.Parse("magnet:\n  max_current_a: 40\n  ramp_speed: 3\n", "configs/x.yaml"));
        Assert.IsAssignableFrom<UsageException>(e);
        Assert.Contains("configs/x.yaml", e.Message);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("unknown key 'magnet.ramp_speed'", e.Message);
        Assert.Contains("allowed in 'magnet': max_current_a", e.Message);
    }

    [Fact]
    public void WhenAValueHasTheWrongTypeThenLoadingFailsNamingTheLineAndValue()
    {
        var e = Assert.Throws<FacilityConfigException>(() =>
            FacilityConfigLoader.Parse("magnet:\n  max_current_a: lots\n", "f.yaml"));
        Assert.Contains("line 2", e.Message);
        Assert.Contains("lots", e.Message);
    }

    [Fact]
    public void WhenValuesAreOutOfRangeThenEveryProblemIsListedWithKeyValueAndAllowedRange()
    {
        var e = Assert.Throws<FacilityConfigException>(() => FacilityConfigLoader.Parse(
            "magnet:\n  ramp_rate_a_per_s: -1\ncollimators:\n  positioning_error_um: 25\nslow_control:\n  temperature_conversion: magic\n" +
            "alarms:\n  temperature_bands:\n    cryostat: [1, 2]\n",
            "f.yaml"));
        Assert.Equal(4, e.Problems.Count);
        Assert.Contains("magnet.ramp_rate_a_per_s = -1: expected a value in (0, 1000] A/s", e.Problems);
        Assert.Contains("collimators.positioning_error_um = 25: expected a value in [0, 19.9] um (the hardware positions to < 20 um)", e.Problems);
        Assert.Contains("slow_control.temperature_conversion = 'magic': expected one of steinhart_hart, b_parameter", e.Problems);
        Assert.Contains("alarms.temperature_bands.cryostat = 'cryostat': expected the name of a channel in temperatures.channels", e.Problems);
    }

    [Fact]
    public void WhenTheFieldCalibrationWouldPeakBelowFullCurrentThenItIsRejected()
    {
        var e = Assert.Throws<FacilityConfigException>(() => FacilityConfigLoader.Parse(
            "magnet:\n  field_calibration: { linear_t_per_a: 0.0044, saturation_t_per_a3: 1.0e-6 }\n", "f.yaml"));
        Assert.Contains(e.Problems, p => p.StartsWith("magnet.field_calibration.saturation_t_per_a3 = 1E-06: expected a value below", StringComparison.Ordinal));
    }

    [Fact]
    public void WhenTheFileIsEmptyThenTheDefaultsApply()
    {
        var config = FacilityConfigLoader.Parse("", "empty.yaml");
        Assert.Equal(5025, config.BasePort);
        Assert.Equal(4, config.Temperatures.Channels.Count);
    }
}
