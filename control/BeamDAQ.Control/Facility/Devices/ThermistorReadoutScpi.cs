using System.Globalization;
using BeamDAQ.Control.Facility.Scpi;

namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// SCPI command set of the thermistor readout: MEASure:RESistance? &lt;ch&gt; (Ω, channels from 1),
/// CHANnel:COUNt?, CHANnel:NAME? &lt;ch&gt;, and fault injection over the wire:
/// SIMulation:STEP &lt;ch&gt;,&lt;K&gt;, SIMulation:RAMP &lt;ch&gt;,&lt;K/s&gt;,&lt;s&gt;, SIMulation:CLEar.
/// </summary>
public sealed class ThermistorReadoutScpi(SimulatedThermistorBank bank) : ScpiInstrument("SIM-NTC-8", "NTC0001")
{
    private static readonly ScpiPattern MeasureResistance = new("MEASure:RESistance");
    private static readonly ScpiPattern ChannelCount = new("CHANnel:COUNt");
    private static readonly ScpiPattern ChannelName = new("CHANnel:NAME");
    private static readonly ScpiPattern SimulateStep = new("SIMulation:STEP");
    private static readonly ScpiPattern SimulateRamp = new("SIMulation:RAMP");
    private static readonly ScpiPattern SimulateClear = new("SIMulation:CLEar");

    protected override ScpiOutcome Execute(ScpiCommand c)
    {
        if (c.Is(MeasureResistance) && c.IsQuery)
            return WithChannel(c, 1, channel => ScpiOutcome.Answer(bank.MeasureResistanceOhm(channel)));
        if (c.Is(ChannelCount))
            return Query(c, () => bank.ChannelCount.ToString(CultureInfo.InvariantCulture));
        if (c.Is(ChannelName) && c.IsQuery)
            return WithChannel(c, 1, channel => ScpiOutcome.Answer(bank.ChannelNames[channel]));
        if (c.Is(SimulateStep) && !c.IsQuery)
            return WithChannel(c, 2, channel =>
                TryNumberAt(c, 1, 2, out double k, out var e) ? Apply(() => bank.InjectStep(channel, k)) : e);
        if (c.Is(SimulateRamp) && !c.IsQuery)
            return WithChannel(c, 3, channel =>
                TryNumberAt(c, 1, 3, out double rate, out var e1) ? TryNumberAt(c, 2, 3, out double seconds, out var e2)
                    ? seconds >= 0
                        ? Apply(() => bank.InjectRamp(channel, rate, TimeSpan.FromSeconds(seconds)))
                        : ScpiOutcome.Error(ScpiError.DataOutOfRange, $"ramp duration {Show(seconds)} s below 0 s")
                    : e2 : e1);
        if (c.Is(SimulateClear))
            return Command(c, bank.ClearFaults);
        return Undefined(c);
    }

    protected override void Reset() => bank.ClearFaults();

    /// <summary>Checks parameter 0 as a channel number (1-based on the wire) of a command taking <paramref name="count"/> parameters.</summary>
    private ScpiOutcome WithChannel(ScpiCommand c, int count, Func<int, ScpiOutcome> action)
    {
        if (!TryNumberAt(c, 0, count, out double number, out var error))
            return error;
        if (number != Math.Floor(number) || number < 1 || number > bank.ChannelCount)
            return ScpiOutcome.Error(ScpiError.DataOutOfRange, $"channel {Show(number)} outside [1, {bank.ChannelCount}]");
        return action((int)number - 1);
    }

    private static ScpiOutcome Apply(Action action)
    {
        action();
        return ScpiOutcome.Done;
    }
}
