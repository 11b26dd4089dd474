using System.Globalization;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// The collimator master board and its two slaves: entrance and exit collimators of four jaws each. Moves are
/// validated against the jaw travel and the largest aperture before any jaw starts; read-back positions are
/// quantised to the position sensors' resolution.
/// </summary>
public sealed class SimulatedCollimatorMaster
{
    private readonly object gate = new();
    private readonly IClock clock;
    private readonly Random random;
    private readonly Dictionary<CollimatorId, SimulatedJaw[]> jaws = [];
    private readonly TimeSpan settleTime;

    public SimulatedCollimatorMaster(CollimatorsConfig config, IClock clock, Random random)
    {
        Config = config;
        this.clock = clock;
        this.random = random;
        settleTime = TimeSpan.FromSeconds(config.SettleTimeS);
        var now = clock.UtcNow;
        var entrance = JawPositions.Centred(config.InitialEntranceMm[0], config.InitialEntranceMm[1]);
        var exit = JawPositions.Centred(config.InitialExitMm[0], config.InitialExitMm[1]);
        jaws[CollimatorId.Entrance] = Enum.GetValues<JawId>().Select(j => new SimulatedJaw(entrance[j], now)).ToArray();
        jaws[CollimatorId.Exit] = Enum.GetValues<JawId>().Select(j => new SimulatedJaw(exit[j], now)).ToArray();
    }

    public CollimatorsConfig Config { get; }

    /// <summary>Where the jaws are now, as the position sensors read them.</summary>
    public JawPositions Positions(CollimatorId id)
    {
        lock (gate)
        {
            var now = clock.UtcNow;
            var j = jaws[id];
            return new JawPositions(
                Quantise(j[(int)JawId.Left].PositionAt(now)), Quantise(j[(int)JawId.Right].PositionAt(now)),
                Quantise(j[(int)JawId.Top].PositionAt(now)), Quantise(j[(int)JawId.Bottom].PositionAt(now)));
        }
    }

    /// <summary>Exact (unquantised) positions, for the beam model.</summary>
    internal JawPositions TruePositions(CollimatorId id)
    {
        lock (gate)
        {
            var now = clock.UtcNow;
            var j = jaws[id];
            return new JawPositions(j[0].PositionAt(now), j[1].PositionAt(now), j[2].PositionAt(now), j[3].PositionAt(now));
        }
    }

    /// <summary>The commanded positions.</summary>
    public JawPositions Targets(CollimatorId id)
    {
        lock (gate)
        {
            var j = jaws[id];
            return new JawPositions(j[0].Target, j[1].Target, j[2].Target, j[3].Target);
        }
    }

    public bool IsSettled(CollimatorId id)
    {
        lock (gate)
        {
            var now = clock.UtcNow;
            return jaws[id].All(j => j.IsSettledAt(now));
        }
    }

    /// <summary>Moves all four jaws; returns why not (and moves nothing) when a position is not allowed.</summary>
    public string? TryMove(CollimatorId id, JawPositions target)
    {
        lock (gate)
        {
            if (Check(id, target) is { } problem)
                return problem;
            var now = clock.UtcNow;
            var j = jaws[id];
            foreach (var jaw in Enum.GetValues<JawId>())
            {
                // Re-sending the current target must not restart a settled jaw.
                if (Math.Abs(j[(int)jaw].Target - target[jaw]) < 1e-9)
                    continue;
                double error = (random.NextDouble() * 2 - 1) * Config.PositioningErrorUm / 1000;
                j[(int)jaw].MoveTo(target[jaw], error, now, Config.JawSpeedMmPerS, settleTime);
            }
            return null;
        }
    }

    public string? TryMoveJaw(CollimatorId id, JawId jaw, double position)
    {
        lock (gate)
            return TryMove(id, Targets(id).With(jaw, position));
    }

    /// <summary>Sets the apertures around the given centre, or around the current target centre when null.</summary>
    public string? TrySetAperture(CollimatorId id, double apertureX, double apertureY, double? centreX = null, double? centreY = null)
    {
        lock (gate)
        {
            var current = Targets(id);
            return TryMove(id, JawPositions.FromAperture(apertureX, apertureY, centreX ?? current.CentreX, centreY ?? current.CentreY));
        }
    }

    public void Stop(CollimatorId id)
    {
        lock (gate)
        {
            var now = clock.UtcNow;
            foreach (var jaw in jaws[id])
                jaw.Stop(now, settleTime);
        }
    }

    private string? Check(CollimatorId id, JawPositions target)
    {
        string name = id.ToString().ToLowerInvariant();
        foreach (var jaw in Enum.GetValues<JawId>())
        {
            double p = target[jaw];
            if (!double.IsFinite(p) || Math.Abs(p) > Config.JawTravelMm + 1e-9)
                return $"{name} {jaw.ToString().ToLowerInvariant()} jaw at {Mm(p)} mm is outside the travel of +/-{Mm(Config.JawTravelMm)} mm";
        }
        foreach (var (axis, aperture) in new[] { ("x", target.ApertureX), ("y", target.ApertureY) })
        {
            if (aperture < -1e-9)
                return $"{name} aperture {axis} {Mm(aperture)} mm: jaws would cross (left < right, bottom < top)";
            if (aperture > Config.MaxApertureMm + 1e-9)
                return $"{name} aperture {axis} {Mm(aperture)} mm above the maximum {Mm(Config.MaxApertureMm)} mm";
        }
        return null;
    }

    private double Quantise(double position)
    {
        double step = Config.SensorResolutionUm / 1000;
        return Math.Round(position / step) * step;
    }

    private static string Mm(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
