namespace BeamDAQ.Daq.Digitizers.Simulation.Beam;

/// <summary>
/// The mean number of electrons per bunch, λ, reaching the detector at a given time. Stand-alone runs use a
/// <see cref="FixedBeamIntensity"/>; the control node's facility simulator supplies one that follows the
/// collimator apertures, so a collimator scan produces a λ-versus-aperture curve. Called from the
/// acquisition thread once per bunch: implementations must be thread-safe and cheap.
/// </summary>
public interface IBeamIntensitySource
{
    /// <summary>λ ≥ 0 for the bunch at <paramref name="bunchTime"/> (0 = beam off).</summary>
    double MeanElectronsPerBunch(DateTimeOffset bunchTime);
}

/// <summary>A constant λ.</summary>
public sealed class FixedBeamIntensity : IBeamIntensitySource
{
    public FixedBeamIntensity(double lambda)
    {
        if (!(lambda >= 0) || double.IsInfinity(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be a finite number ≥ 0");
        Lambda = lambda;
    }

    public double Lambda { get; }

    public double MeanElectronsPerBunch(DateTimeOffset bunchTime) => Lambda;
}

/// <summary>λ that can be changed while running (e.g. by a facility model or a test); reads are lock-free.</summary>
public sealed class AdjustableBeamIntensity(double lambda) : IBeamIntensitySource
{
    private double _lambda = lambda;

    public double Lambda
    {
        get => Volatile.Read(ref _lambda);
        set
        {
            if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "λ must be a finite number ≥ 0");
            Volatile.Write(ref _lambda, value);
        }
    }

    public double MeanElectronsPerBunch(DateTimeOffset bunchTime) => Lambda;
}
