using System.Globalization;

namespace BeamDAQ.Daq.Digitizers.Hs4;

/// <summary>One setting outside the HS4's limits: the configuration key, the value and what is allowed.</summary>
public sealed record SettingViolation(string Key, object? Value, string Allowed)
{
    public DigitizerSettingsException ToException() => new(Key, Value, Allowed);
}

/// <summary>
/// The Handyscope HS4's documented limits (HS4 user manual rev 2.42, §3, §7.3, §8.1–8.2), the one place both
/// the driver and the simulator check settings against, and the configuration validator quotes. The maximum
/// sample rates are those of the HS4-50. Keys are those of the <c>digitizer:</c> section of the configuration.
/// </summary>
public static class Hs4Limits
{
    public const int ChannelCount = 4;

    /// <summary>Full-scale ranges ±V (§8.1).</summary>
    public static IReadOnlyList<double> RangesVolts { get; } = [0.2, 0.4, 0.8, 2, 4, 8, 20, 40, 80];

    /// <summary>User-selectable resolutions in bits (§3, §8.1).</summary>
    public static IReadOnlyList<int> Resolutions { get; } = [12, 14, 16];

    /// <summary>Memory: 128 kSamples per channel (§8.1).</summary>
    public const int MemorySamplesPerChannel = 128 * 1024;

    /// <summary>Trigger hold-off: 0 to 1 MSamples (§8.2).</summary>
    public const long MaxHoldOffSamples = 1024 * 1024;

    /// <summary>
    /// The sample clock of the HS4-50 (50 MSa/s at 12 bit). Lower rates are this clock divided by an integer;
    /// 14 bit needs a divider of at least 16 (3.125 MSa/s), 16 bit at least 256 (195.3 kSa/s, "195 kSa/s").
    /// </summary>
    public const double SampleClockHz = 50e6;

    /// <summary>The only external trigger input: "Ext. trigger in (TTL)" on pin 8 of the extension connector (§7.3).</summary>
    public const string ExternalTriggerInput = "EXT1";

    public const string RangesText = "±0.2, 0.4, 0.8, 2, 4, 8, 20, 40 or 80 V (a request snaps up to the next range)";
    public const string ResolutionsText = "12, 14 or 16 bit";
    public const string MaxRatesText = "HS4-50: 50 MSa/s at 12 bit, 3.125 MSa/s at 14 bit, 195 kSa/s at 16 bit";

    public static int MinimumDivider(int bits) => bits switch
    {
        12 => 1,
        14 => 16,
        16 => 256,
        _ => throw new ArgumentOutOfRangeException(nameof(bits), bits, ResolutionsText),
    };

    /// <summary>The HS4-50's maximum block-mode sample rate at <paramref name="bits"/> (Table 3.1).</summary>
    public static double MaxSampleRateHz(int bits) => SampleClockHz / MinimumDivider(bits);

    /// <summary>The sample rate the device applies for a valid request: the clock over the nearest allowed divider.</summary>
    public static double AppliedSampleRateHz(double requestedHz, int bits)
    {
        double divider = Math.Max(MinimumDivider(bits), Math.Round(SampleClockHz / requestedHz));
        return SampleClockHz / divider;
    }

    /// <summary>The range the device applies: the smallest range ≥ the request. Null when the request exceeds 80 V.</summary>
    public static double? SnapRangeVolts(double requestedVolts)
    {
        foreach (var range in RangesVolts)
            if (requestedVolts <= range * (1 + 1e-9)) return range;
        return null;
    }

    /// <summary>Number of pre-trigger samples the device keeps for a ratio (one-sample resolution, §8.2).</summary>
    public static int PreSamples(double preSampleRatio, int recordLength) =>
        (int)Math.Round(preSampleRatio * recordLength, MidpointRounding.AwayFromZero);

    /// <summary>Every setting of <paramref name="s"/> outside the HS4's limits, in configuration order. Empty when valid.</summary>
    public static IReadOnlyList<SettingViolation> Check(DigitizerSettings s)
    {
        var problems = new List<SettingViolation>();
        bool bitsValid = Resolutions.Contains(s.ResolutionBits);
        if (!bitsValid)
            problems.Add(new("resolution_bits", s.ResolutionBits, ResolutionsText + " (HS4 manual §8.1)"));

        if (!(s.SampleRateHz > 0) || double.IsInfinity(s.SampleRateHz))
            problems.Add(new("sample_rate_hz", Format(s.SampleRateHz), "a sample rate > 0 Sa/s"));
        else if (bitsValid && s.SampleRateHz > MaxSampleRateHz(s.ResolutionBits) * (1 + 1e-9))
            problems.Add(new("sample_rate_hz", Format(s.SampleRateHz),
                $"at most {FormatRate(MaxSampleRateHz(s.ResolutionBits))} at {s.ResolutionBits} bit ({MaxRatesText})"));

        if (s.RecordLength < 1 || s.RecordLength > MemorySamplesPerChannel)
            problems.Add(new("record_length", s.RecordLength,
                $"1 to {MemorySamplesPerChannel} samples per channel (HS4 memory: 128 kSamples per channel)"));

        if (double.IsNaN(s.PreSampleRatio) || s.PreSampleRatio < 0 || s.PreSampleRatio > 1)
            problems.Add(new("pre_sample_ratio", Format(s.PreSampleRatio), "0 to 1 (pre-trigger 0–100 % of the record)"));

        CheckChannels(s.Channels, problems);

        if (!string.Equals(s.TriggerInput, ExternalTriggerInput, StringComparison.OrdinalIgnoreCase))
            problems.Add(new("trigger.input", s.TriggerInput,
                $"{ExternalTriggerInput} (the external TTL trigger, pin 8 of the extension connector)"));

        if (s.TriggerTimeout is { } timeout && timeout <= TimeSpan.Zero)
            problems.Add(new("trigger.timeout_s", Format(timeout.TotalSeconds), "a time-out > 0 s, or null for infinite"));

        if (s.TriggerHoldOff < TimeSpan.Zero)
            problems.Add(new("trigger.holdoff_s", Format(s.TriggerHoldOff.TotalSeconds), "0 or more seconds"));
        else if (s.SampleRateHz > 0 && s.TriggerHoldOff.TotalSeconds * s.SampleRateHz > MaxHoldOffSamples + 0.5)
            problems.Add(new("trigger.holdoff_s", Format(s.TriggerHoldOff.TotalSeconds),
                $"0 to {MaxHoldOffSamples} samples (1 MSamples) = {Format(MaxHoldOffSamples / s.SampleRateHz)} s at {FormatRate(s.SampleRateHz)}"));

        return problems;
    }

    /// <summary>Throws the first violation of <paramref name="s"/> as a <see cref="DigitizerSettingsException"/>.</summary>
    public static void ThrowIfInvalid(DigitizerSettings s)
    {
        var problems = Check(s);
        if (problems.Count > 0) throw problems[0].ToException();
    }

    private static void CheckChannels(IReadOnlyList<ChannelSettings> channels, List<SettingViolation> problems)
    {
        if (channels.Count == 0 || channels.All(c => !c.Enabled))
            problems.Add(new("channels", channels.Count == 0 ? "[]" : "none enabled", "at least one enabled channel (1–4)"));
        var seen = new HashSet<int>();
        for (int i = 0; i < channels.Count; i++)
        {
            var c = channels[i];
            if (c.Id is < 1 or > ChannelCount)
                problems.Add(new($"channels[{i}].id", c.Id, "a channel number 1 to 4 (CH1–CH4)"));
            else if (!seen.Add(c.Id))
                problems.Add(new($"channels[{i}].id", c.Id, "each channel listed once"));
            if (double.IsNaN(c.RangeVolts) || c.RangeVolts <= 0 || SnapRangeVolts(c.RangeVolts) is null)
                problems.Add(new($"channels[{i}].range_v", Format(c.RangeVolts), RangesText));
        }
    }

    internal static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A sample rate the way the manual writes it: 3.125 MSa/s, 195.313 kSa/s.</summary>
    public static string FormatRate(double hz) => hz switch
    {
        >= 1e6 => (hz / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + " MSa/s",
        >= 1e3 => (hz / 1e3).ToString("0.###", CultureInfo.InvariantCulture) + " kSa/s",
        _ => hz.ToString("0.###", CultureInfo.InvariantCulture) + " Sa/s",
    };
}
