namespace BeamDAQ.Analysis.Characterization;

/// <summary>
/// Noise figure by the Y-factor (hot/cold) method: the output noise power is measured with a noise source
/// off (cold, at <c>T_cold</c>) and on (hot, its excess noise ratio ENR above T0 = 290 K), Y = P_hot / P_cold, and
/// F = (ENR − Y·(T_cold/T0 − 1)) / (Y − 1), which for T_cold = T0 is the familiar NF = ENR_dB − 10·log10(Y − 1).
/// </summary>
public static class YFactorNoiseFigure
{
    /// <summary>The reference temperature of noise figures and of ENR, kelvin.</summary>
    public const double ReferenceTemperature = 290.0;

    /// <summary>
    /// Computes the noise figure from the hot and cold output powers (any common unit) and their standard
    /// uncertainties (0 when unknown). A Y at or below 1 cannot give a noise figure; the result says so.
    /// </summary>
    public static NoiseFigureResult Compute(double hotPower, double coldPower, double enrDb, double coldTemperature = ReferenceTemperature,
        double hotPowerError = 0, double coldPowerError = 0)
    {
        if (!(hotPower > 0) || !(coldPower > 0))
            return NoiseFigureResult.Failed(hotPower, coldPower, enrDb, coldTemperature, $"noise powers must be positive (hot {hotPower:G6}, cold {coldPower:G6})");
        if (!(coldTemperature > 0))
            return NoiseFigureResult.Failed(hotPower, coldPower, enrDb, coldTemperature, $"cold temperature must be positive kelvin, got {coldTemperature:G6}");
        double y = hotPower / coldPower;
        if (!(y > 1))
            return NoiseFigureResult.Failed(hotPower, coldPower, enrDb, coldTemperature,
                $"Y = P_hot/P_cold = {y:G6} is not above 1: the hot source does not raise the output noise (are --hot and --cold swapped?)");

        double enr = Math.Pow(10, enrDb / 10);
        double coldExcess = coldTemperature / ReferenceTemperature - 1;
        double factor = (enr - y * coldExcess) / (y - 1);
        if (!(factor > 0))
            return NoiseFigureResult.Failed(hotPower, coldPower, enrDb, coldTemperature,
                $"noise factor {factor:G6} is not positive for Y = {y:G6}, ENR = {enrDb} dB, T_cold = {coldTemperature} K");

        // dF/dY = (coldExcess − ENR)/(Y − 1)² = −(F + coldExcess)/(Y − 1); σ_Y/Y from the relative power errors.
        double relativeY = Math.Sqrt(Sq(hotPowerError / hotPower) + Sq(coldPowerError / coldPower));
        double factorError = Math.Abs((factor + coldExcess) / (y - 1)) * y * relativeY;
        double figureDb = 10 * Math.Log10(factor);
        double figureError = 10 / Math.Log(10) * factorError / factor;
        return new NoiseFigureResult(true, null, hotPower, coldPower, enrDb, coldTemperature, y, 10 * Math.Log10(y),
            factor, figureDb, figureError, ReferenceTemperature * (factor - 1));
    }

    private static double Sq(double x) => x * x;
}

/// <summary>A Y-factor noise figure: Y, the noise factor F, NF = 10·log10 F in dB with its uncertainty, and Te = T0·(F − 1).</summary>
public sealed record NoiseFigureResult(
    bool IsValid,
    string? Problem,
    double HotPower,
    double ColdPower,
    double EnrDb,
    double ColdTemperature,
    double Y,
    double YDb,
    double NoiseFactor,
    double NoiseFigureDb,
    double NoiseFigureErrorDb,
    double EquivalentNoiseTemperature)
{
    internal static NoiseFigureResult Failed(double hot, double cold, double enrDb, double coldTemperature, string problem) =>
        new(false, problem, hot, cold, enrDb, coldTemperature, hot / cold, 10 * Math.Log10(hot / cold), double.NaN, double.NaN, double.NaN, double.NaN);
}
