using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Monitor.Live;

/// <summary>
/// The latest reading of every slow-control quantity (magnet current, beam energy, jaw apertures, HV,
/// temperatures, ...), keyed by device and quantity, with a short history each for a sparkline.
/// Guarded by the owner's lock.
/// </summary>
public sealed class SlowControlBoard(int historyLength = 120)
{
    private readonly SortedDictionary<string, SlowControlEntry> _entries = new(StringComparer.Ordinal);

    public long Version { get; private set; }
    public IEnumerable<SlowControlEntry> Entries => _entries.Values;

    public void Add(SlowControlMessage reading)
    {
        string key = reading.Device + "/" + reading.Quantity;
        if (!_entries.TryGetValue(key, out var entry))
            _entries[key] = entry = new SlowControlEntry(reading.Device, reading.Quantity, historyLength);
        entry.Add(reading);
        Version++;
    }

    public void Clear()
    {
        _entries.Clear();
        Version++;
    }
}

public sealed class SlowControlEntry(string device, string quantity, int historyLength)
{
    private readonly Queue<(long TimeNs, double Value)> _history = new();

    public string Device { get; } = device;
    public string Quantity { get; } = quantity;
    public string Unit { get; private set; } = "";
    public double Value { get; private set; } = double.NaN;
    public long TimeNs { get; private set; }
    public long Readings { get; private set; }
    public IReadOnlyCollection<(long TimeNs, double Value)> History => _history;

    public void Add(SlowControlMessage reading)
    {
        Unit = reading.Unit;
        Value = reading.Value;
        TimeNs = reading.TimeNs;
        Readings++;
        if (_history.Count >= historyLength) _history.Dequeue();
        _history.Enqueue((reading.TimeNs, reading.Value));
    }
}
