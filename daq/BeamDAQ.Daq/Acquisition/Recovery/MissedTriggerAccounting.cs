namespace BeamDAQ.Daq.Acquisition.Recovery;

/// <summary>
/// Counts the triggers a run missed: the jump in the device's trigger counter between consecutive events when it has
/// one; otherwise, across a device outage only, the time between the last event before and the first after divided
/// by the trigger period measured before the outage (or the nominal rate, with fewer than two events).
/// </summary>
/// <remarks>Acquisition thread only. Plain fields: no allocation per event.</remarks>
internal sealed class MissedTriggerAccounting(double nominalRateHz, long runStartNs)
{
    private const double IntervalSmoothing = 0.1; // exponential average over roughly the last ten intervals

    private long? _lastCounter;
    private long _lastEventNs = runStartNs;
    private bool _haveEvent;
    private double _meanIntervalNs;

    /// <summary>Trigger period used for estimates, in seconds.</summary>
    public double PeriodSeconds => _meanIntervalNs > 0 ? _meanIntervalNs * 1e-9 : 1 / nominalRateHz;

    /// <summary>
    /// An event at <paramref name="timeNs"/> with the device's trigger count <paramref name="counter"/> (null when it
    /// has none); returns the triggers missed since the previous event and how they were counted.
    /// </summary>
    /// <param name="afterOutage">The first event after a device outage: without a counter the gap is estimated.</param>
    public ulong OnEvent(long timeNs, long? counter, bool afterOutage, out MissedTriggerSource source)
    {
        ulong missed = 0;
        source = MissedTriggerSource.TriggerCounter;
        if (counter is { } c && _lastCounter is { } previous)
        {
            missed = c > previous + 1 ? (ulong)(c - previous - 1) : 0;
        }
        else if (afterOutage)
        {
            source = MissedTriggerSource.EstimatedFromRate;
            long periods = (long)Math.Round((timeNs - _lastEventNs) * 1e-9 / PeriodSeconds);
            missed = periods > 1 ? (ulong)(periods - 1) : 0;
        }

        if (_haveEvent && !afterOutage && missed == 0 && timeNs > _lastEventNs)
        {
            double interval = timeNs - _lastEventNs;
            _meanIntervalNs = _meanIntervalNs == 0 ? interval : _meanIntervalNs + IntervalSmoothing * (interval - _meanIntervalNs);
        }
        _haveEvent = true;
        _lastEventNs = timeNs;
        if (counter is not null) _lastCounter = counter;
        return missed;
    }

    /// <summary>Triggers estimated to have come between the last event and <paramref name="endNs"/> (an outage the run ended in).</summary>
    public ulong EstimateUntil(long endNs)
    {
        long periods = (long)Math.Floor((endNs - _lastEventNs) * 1e-9 / PeriodSeconds);
        return periods > 0 ? (ulong)periods : 0;
    }
}
