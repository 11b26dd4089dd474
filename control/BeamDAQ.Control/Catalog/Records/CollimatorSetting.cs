namespace BeamDAQ.Control.Catalog;

/// <summary>
/// One four-jaw collimator as it stood during a run (millimetres, in the collimator's own frame). The apertures
/// and centres are what physicists quote (the LEETECH table gives exit openings such as 9.9 × 3.1 mm²); the jaw
/// positions are what the motors report, kept so that an aperture can be checked against them later.
/// </summary>
public sealed record CollimatorSetting(
    double ApertureXMm,
    double ApertureYMm,
    double CentreXMm,
    double CentreYMm,
    double? JawLeftMm = null,
    double? JawRightMm = null,
    double? JawBottomMm = null,
    double? JawTopMm = null)
{
    /// <summary>Apertures and centres derived from the four jaw positions (aperture = far jaw − near jaw).</summary>
    public static CollimatorSetting FromJaws(double leftMm, double rightMm, double bottomMm, double topMm) =>
        new(rightMm - leftMm, topMm - bottomMm, (leftMm + rightMm) / 2, (bottomMm + topMm) / 2,
            leftMm, rightMm, bottomMm, topMm);
}
