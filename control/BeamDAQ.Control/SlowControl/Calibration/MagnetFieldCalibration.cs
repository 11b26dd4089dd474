using BeamDAQ.Control.Facility.Configuration;

namespace BeamDAQ.Control.SlowControl.Calibration;

/// <summary>
/// The dipole's measured field against coil current, B(I) = k·I − s·I³: linear while the yoke is far from
/// saturation, the cubic term bending it over near full current. Valid while dB/dI &gt; 0.
/// </summary>
public sealed class MagnetFieldCalibration
{
    public MagnetFieldCalibration(double linearTPerA, double saturationTPerA3)
    {
        if (!(linearTPerA > 0) || saturationTPerA3 < 0)
            throw new ArgumentException($"B(I) needs linear > 0 and saturation >= 0 (got {linearTPerA}, {saturationTPerA3})");
        LinearTPerA = linearTPerA;
        SaturationTPerA3 = saturationTPerA3;
        MonotonicUpToA = saturationTPerA3 == 0 ? double.PositiveInfinity : Math.Sqrt(linearTPerA / (3 * saturationTPerA3));
    }

    public double LinearTPerA { get; }
    public double SaturationTPerA3 { get; }

    /// <summary>The current where B(I) peaks; the calibration is used below it only.</summary>
    public double MonotonicUpToA { get; }

    public static MagnetFieldCalibration FromConfig(FieldCalibrationConfig config) =>
        new(config.LinearTPerA, config.SaturationTPerA3);

    public double FieldT(double currentA) => LinearTPerA * currentA - SaturationTPerA3 * currentA * currentA * currentA;

    /// <summary>The current giving <paramref name="fieldT"/>; NaN beyond the calibration's peak field.</summary>
    public double CurrentForField(double fieldT)
    {
        if (fieldT < 0)
            return double.NaN;
        if (SaturationTPerA3 == 0)
            return fieldT / LinearTPerA;
        double high = MonotonicUpToA;
        if (fieldT > FieldT(high))
            return double.NaN;
        // Newton from the linear estimate converges in a few steps on this monotonic cubic; bisection guards it.
        double low = 0, i = Math.Min(fieldT / LinearTPerA, high);
        for (int iteration = 0; iteration < 100; iteration++)
        {
            double residual = FieldT(i) - fieldT;
            if (Math.Abs(residual) < 1e-15)
                break;
            if (residual > 0) high = i; else low = i;
            double slope = LinearTPerA - 3 * SaturationTPerA3 * i * i;
            double next = i - residual / slope;
            i = next > low && next < high ? next : (low + high) / 2;
        }
        return i;
    }
}
