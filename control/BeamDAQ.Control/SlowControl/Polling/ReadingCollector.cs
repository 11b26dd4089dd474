using BeamDAQ.Control.SlowControl.Transport;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.SlowControl.Polling;

/// <summary>
/// Gathers one device poll: each successful query becomes a reading stamped when its answer arrived; a
/// refused query is noted and the poll goes on; a lost device ends the poll at once.
/// </summary>
internal sealed class ReadingCollector(string device, IClock clock)
{
    private readonly List<SlowControlReading> readings = [];
    private readonly List<string> problems = [];

    public bool IsLost { get; private set; }
    public string LostProblem { get; private set; } = "";

    /// <summary>Records the result; returns false when the device is lost and polling it should stop.</summary>
    public bool Add<T>(DeviceResult<T> result, string quantity, string unit, Func<T, double> value)
    {
        switch (result.Outcome)
        {
            case DeviceOutcome.Ok:
                readings.Add(new SlowControlReading(device, quantity, value(result.Value), unit, clock.UtcNow));
                return true;
            case DeviceOutcome.Rejected:
                problems.Add($"{quantity}: {result.Problem}");
                return true;
            default:
                IsLost = true;
                LostProblem = result.Problem;
                return false;
        }
    }

    public bool Add(DeviceResult<double> result, string quantity, string unit) => Add(result, quantity, unit, v => v);

    public bool Add(DeviceResult<bool> result, string quantity) => Add(result, quantity, "", v => v ? 1.0 : 0.0);

    /// <summary>A reading computed from others (field from current), stamped now.</summary>
    public void AddDerived(string quantity, double value, string unit) =>
        readings.Add(new SlowControlReading(device, quantity, value, unit, clock.UtcNow));

    public void Problem(string problem) => problems.Add(problem);

    public DevicePoll Result() => IsLost
        ? DevicePoll.Lost(device, LostProblem)
        : new DevicePoll(device, true, readings.ToArray(), string.Join("; ", problems));
}
