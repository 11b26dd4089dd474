namespace BeamDAQ.Control.Facility.Scpi;

/// <summary>What an instrument does with a command: reply, stay silent, or queue an error (and stay silent).</summary>
public readonly record struct ScpiOutcome(string? Reply, int ErrorCode, string? Detail)
{
    public static readonly ScpiOutcome Done = new(null, ScpiError.NoError, null);

    public static ScpiOutcome Answer(string reply) => new(reply, ScpiError.NoError, null);
    public static ScpiOutcome Answer(double value) => new(ScpiNumber.Format(value), ScpiError.NoError, null);
    public static ScpiOutcome Answer(bool value) => new(ScpiNumber.FormatBoolean(value), ScpiError.NoError, null);
    public static ScpiOutcome Error(int code, string? detail = null) => new(null, code, detail);

    public bool IsError => ErrorCode != ScpiError.NoError;
}
