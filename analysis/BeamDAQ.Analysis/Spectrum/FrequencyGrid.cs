namespace BeamDAQ.Analysis.Spectrum;

/// <summary>
/// The frequencies at which characteristic functions are evaluated: t_m = 2πm/<see cref="Period"/> for
/// m = 0 .. <see cref="Count"/> − 1. The period is the length of the amplitude window the model lives on.
/// </summary>
public sealed record FrequencyGrid(double Period, int Count)
{
    public double Step => 2 * Math.PI / Period;
    public double Frequency(int m) => m * Step;
}
