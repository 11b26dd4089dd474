namespace BeamDAQ.Control.Facility;

/// <summary>The spectrometer's two collimators: the entrance selects direction, the exit sets intensity and energy spread.</summary>
public enum CollimatorId
{
    Entrance,
    Exit,
}

/// <summary>The four piezo-driven jaws of a collimator, named by the edge they form.</summary>
public enum JawId
{
    Left,
    Right,
    Top,
    Bottom,
}
