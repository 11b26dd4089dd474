namespace BeamDAQ.Analysis.Spectrum;

/// <summary>How a parameter is bounded; the minimiser works on an unbounded transform of it.</summary>
public enum ParameterKind
{
    /// <summary>Any real value (a pedestal position).</summary>
    Real,
    /// <summary>Strictly positive (λ, widths, gains): minimised in ln θ.</summary>
    Positive,
    /// <summary>Zero or positive (over-dispersion 1/k): minimised directly with the bound held by projection.</summary>
    NonNegative,
}

/// <summary>A model parameter: its JSON/report name, its bound, and a one-line description with the unit.</summary>
public sealed record ParameterSpec(string Name, ParameterKind Kind, string Description);
