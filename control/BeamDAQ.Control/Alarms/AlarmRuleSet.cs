using BeamDAQ.Control.Alarms.Rules;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Configuration;

namespace BeamDAQ.Control.Alarms;

/// <summary>The control node's standard rules with the thresholds of the alarms section of configs/facility.yaml.</summary>
public static class AlarmRuleSet
{
    public static IReadOnlyList<IAlarmRule> FromConfig(AlarmsConfig config)
    {
        var window = TimeSpan.FromSeconds(config.RateWindowS);
        return
        [
            new TemperatureBandRule(channel => config.TemperatureBands.TryGetValue(channel, out var band) && band is { Length: 2 }
                ? (band[0], band[1])
                : (config.TemperatureLowC, config.TemperatureHighC), config.TemperatureHysteresisK),
            new TemperatureRateRule(config.RateLimitK, window, TemperatureTrend.Rising),
            new TemperatureRateRule(config.RateLimitK, window, TemperatureTrend.Falling),
            new NoTriggerRule(TimeSpan.FromSeconds(config.NoTriggerS)),
            new DeviceLostRule(),
            new HvTripRule(FacilityDevice.HighVoltage.Name()),
        ];
    }
}
