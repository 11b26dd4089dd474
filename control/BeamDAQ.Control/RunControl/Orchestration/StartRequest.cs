using System.Globalization;

namespace BeamDAQ.Control.RunControl.Orchestration;

/// <summary>What the operator asks for when starting a run; everything else is read from the facility.</summary>
public sealed record StartRequest
{
    /// <summary>Null: the configured default operator.</summary>
    public string? Operator { get; init; }
    /// <summary>Free text, stored exactly as given.</summary>
    public string Comment { get; init; } = "";
    /// <summary>Exit collimator opening to set before the run (both or neither), mm.</summary>
    public double? ExitApertureXMm { get; init; }
    public double? ExitApertureYMm { get; init; }
    /// <summary>Stop the run after this many events.</summary>
    public long? EventsLimit { get; init; }

    /// <summary>Why this request cannot be served, or null. Names the value and what is allowed.</summary>
    public string? Validate(double maxApertureMm)
    {
        if (Operator is not null && string.IsNullOrWhiteSpace(Operator))
            return "operator is blank: give a name, or leave it out for the default";
        if (Operator is { Length: > 200 })
            return $"operator is {Operator.Length} characters long; at most 200 allowed";
        if (Comment.Length > 100_000)
            return $"comment is {Comment.Length} characters long; at most 100000 allowed";
        if (ExitApertureXMm.HasValue != ExitApertureYMm.HasValue)
            return "exit aperture needs both X and Y (mm), or neither";
        foreach (var (axis, value) in new[] { ("X", ExitApertureXMm), ("Y", ExitApertureYMm) })
            if (value is { } mm && !(mm > 0 && mm <= maxApertureMm))
                return $"exit aperture {axis} = {mm.ToString("G", CultureInfo.InvariantCulture)} mm; allowed: > 0 and at most {maxApertureMm.ToString("G", CultureInfo.InvariantCulture)} mm";
        if (EventsLimit is <= 0)
            return $"events = {EventsLimit}; allowed: a positive number of events";
        return null;
    }
}
