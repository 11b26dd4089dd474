using BeamDAQ.Control.Catalog;

namespace BeamDAQ.Control.RunControl.Settings;

/// <summary>What run control needs from the facility at a run's start: read everything, set the exit collimator.</summary>
public interface IFacilityReader
{
    /// <summary>Reads magnet, collimators, HV, temperatures and beam; devices that do not answer are listed, never thrown.</summary>
    FacilitySnapshot Read(CancellationToken cancellationToken = default);

    /// <summary>The thermistors now (a run's temperature series gets a point at its start and its end besides the polls).</summary>
    IReadOnlyList<BeamDAQ.Control.SlowControl.SlowControlReading> ReadTemperatures(CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the exit collimator to <paramref name="apertureXMm"/> × <paramref name="apertureYMm"/> (around its
    /// current centre) and waits until the jaws report SETTLED; returns the setting reached, or why not.
    /// </summary>
    CollimatorMoveResult SetExitAperture(double apertureXMm, double apertureYMm, TimeSpan settleTimeout, CancellationToken cancellationToken = default);
}

/// <summary>The exit collimator after a move: where it stands, or what went wrong (refused, lost, not settled in time).</summary>
public sealed record CollimatorMoveResult(CollimatorSetting? Reached, string? Problem)
{
    public bool Succeeded => Problem is null;
}
