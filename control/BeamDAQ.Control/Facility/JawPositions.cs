namespace BeamDAQ.Control.Facility;

/// <summary>
/// The edge coordinates of a collimator's four jaws in mm, relative to the nominal beam axis (x to the right,
/// y up): the opening spans [Left, Right] × [Bottom, Top].
/// </summary>
public readonly record struct JawPositions(double Left, double Right, double Top, double Bottom)
{
    public double ApertureX => Right - Left;
    public double ApertureY => Top - Bottom;
    public double CentreX => (Left + Right) / 2;
    public double CentreY => (Top + Bottom) / 2;

    /// <summary>A centred opening of the given apertures.</summary>
    public static JawPositions Centred(double apertureX, double apertureY) =>
        FromAperture(apertureX, apertureY, 0, 0);

    public static JawPositions FromAperture(double apertureX, double apertureY, double centreX, double centreY) =>
        new(centreX - apertureX / 2, centreX + apertureX / 2, centreY + apertureY / 2, centreY - apertureY / 2);

    public double this[JawId jaw] => jaw switch
    {
        JawId.Left => Left,
        JawId.Right => Right,
        JawId.Top => Top,
        JawId.Bottom => Bottom,
        _ => throw new ArgumentOutOfRangeException(nameof(jaw), jaw, null),
    };

    public JawPositions With(JawId jaw, double position) => jaw switch
    {
        JawId.Left => this with { Left = position },
        JawId.Right => this with { Right = position },
        JawId.Top => this with { Top = position },
        JawId.Bottom => this with { Bottom = position },
        _ => throw new ArgumentOutOfRangeException(nameof(jaw), jaw, null),
    };
}
