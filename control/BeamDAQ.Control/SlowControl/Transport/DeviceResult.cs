namespace BeamDAQ.Control.SlowControl.Transport;

/// <summary>How a device exchange ended; only <see cref="Lost"/> means the device itself is in doubt.</summary>
public enum DeviceOutcome
{
    Ok,

    /// <summary>The device answered and refused the command (an SCPI error, an ERR reply, an unreadable value).</summary>
    Rejected,

    /// <summary>No connection, or no answer within the time-out: the device is lost until it answers again.</summary>
    Lost,
}

/// <summary>
/// The result of one exchange with a device, as a value: expected failures (a refused setting, a device that
/// does not answer) are data the caller inspects, never exceptions.
/// </summary>
public readonly record struct DeviceResult<T>(DeviceOutcome Outcome, T Value, string Problem)
{
    public bool IsOk => Outcome == DeviceOutcome.Ok;
    public bool IsLost => Outcome == DeviceOutcome.Lost;

    public static DeviceResult<T> Ok(T value) => new(DeviceOutcome.Ok, value, "");
    public static DeviceResult<T> Rejected(string problem) => new(DeviceOutcome.Rejected, default!, problem);
    public static DeviceResult<T> Lost(string problem) => new(DeviceOutcome.Lost, default!, problem);

    /// <summary>The same failure with another value type.</summary>
    public DeviceResult<TOther> Fail<TOther>() => new(Outcome, default!, Problem);

    public DeviceResult<TOther> Then<TOther>(Func<T, DeviceResult<TOther>> next) => IsOk ? next(Value) : Fail<TOther>();

    public override string ToString() => IsOk ? $"Ok({Value})" : $"{Outcome}: {Problem}";
}

/// <summary>The value of a command that returns nothing but success.</summary>
public readonly record struct Done
{
    public static readonly Done Value = new();
}
