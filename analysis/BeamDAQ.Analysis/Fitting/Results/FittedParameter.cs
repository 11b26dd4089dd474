namespace BeamDAQ.Analysis.Fitting.Results;

/// <summary>One parameter of a fit result: value, 1σ error (Hesse, with calibration propagated), origin.</summary>
public sealed record FittedParameter(string Name, double Value, double Error, ParameterSource Source, string Description);
