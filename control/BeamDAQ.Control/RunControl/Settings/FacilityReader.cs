using System.Diagnostics;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.SlowControl;
using BeamDAQ.Control.SlowControl.Clients;
using BeamDAQ.Control.SlowControl.Transport;
using Reading = BeamDAQ.Control.SlowControl.SlowControlReading;

namespace BeamDAQ.Control.RunControl.Settings;

/// <summary>
/// Reads the run's settings from the facility's own devices through the slow-control clients: the magnet supply's
/// measured current (→ field and beam energy through the B(I) calibration), both collimators' jaw positions
/// (→ apertures and centres), the HV supply and the thermistors. Blocking calls, for run control's thread.
/// </summary>
public sealed class FacilityReader(SlowControlDevices devices, string? detector) : IFacilityReader
{
    /// <summary>How often the collimator is asked whether its jaws have settled.</summary>
    public static readonly TimeSpan SettlePollInterval = TimeSpan.FromMilliseconds(50);

    public FacilitySnapshot Read(CancellationToken cancellationToken = default) => ReadAsync(cancellationToken).GetAwaiter().GetResult();

    public IReadOnlyList<Reading> ReadTemperatures(CancellationToken cancellationToken = default) =>
        devices.Temperatures.PollAsync(cancellationToken).GetAwaiter().GetResult().Readings;

    public CollimatorMoveResult SetExitAperture(double apertureXMm, double apertureYMm, TimeSpan settleTimeout, CancellationToken cancellationToken = default) =>
        SetExitApertureAsync(apertureXMm, apertureYMm, settleTimeout, cancellationToken).GetAwaiter().GetResult();

    private async Task<FacilitySnapshot> ReadAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var readings = new List<Reading>();

        // The devices answer on separate connections: read them concurrently so one silent device costs one time-out.
        var magnetTask = devices.Magnet.MeasureCurrentAsync(ct);
        var entranceTask = devices.Collimators.GetPositionsAsync(CollimatorId.Entrance, ct);
        var hvTask = ReadHvAsync(ct);
        var temperatureTask = devices.Temperatures.PollAsync(ct);
        var lambdaTask = devices.Beam.GetLambdaAsync(ct);
        await Task.WhenAll(magnetTask, entranceTask, hvTask, temperatureTask, lambdaTask).ConfigureAwait(false);
        var exit = await devices.Collimators.GetPositionsAsync(CollimatorId.Exit, ct).ConfigureAwait(false);

        double? current = Value(magnetTask.Result, "magnet current", problems);
        double? fieldGauss = null, energy = null;
        if (current is { } amperes)
        {
            var calibration = devices.Magnet.Energy;
            fieldGauss = calibration.Field.FieldT(amperes) * 1e4;
            energy = calibration.KineticEnergyMeV(amperes);
        }

        var (hvSet, hvMeasured, hvCurrent) = hvTask.Result;
        var temperatures = new Dictionary<string, double>(StringComparer.Ordinal);
        var poll = temperatureTask.Result;
        if (!poll.Online)
            problems.Add($"temperatures: {poll.Problem}");
        else if (poll.Problem.Length > 0)
            problems.Add($"temperatures: {poll.Problem}");
        foreach (var reading in poll.Readings)
        {
            readings.Add(reading);
            if (reading.Quantity.StartsWith(ThermistorClient.TemperaturePrefix, StringComparison.Ordinal))
                temperatures[reading.Quantity[ThermistorClient.TemperaturePrefix.Length..]] = reading.Value;
        }

        var settings = new RunSettings
        {
            BeamEnergyMeV = energy,
            MagnetCurrentA = current,
            MagnetFieldGauss = fieldGauss,
            EntranceCollimator = Collimator(entranceTask.Result, "entrance collimator", problems),
            ExitCollimator = Collimator(exit, "exit collimator", problems),
            Detector = detector,
            HvSetVolts = Value(hvSet, "HV set voltage", problems),
            HvMeasuredVolts = Value(hvMeasured, "HV measured voltage", problems),
            HvCurrentMicroamps = Value(hvCurrent, "HV current", problems) is { } amps ? amps * 1e6 : null,
        };
        return new FacilitySnapshot
        {
            Settings = settings,
            Readings = readings,
            BeamLambda = Value(lambdaTask.Result, "beam λ", problems),
            TemperaturesC = temperatures,
            Problems = problems,
        };
    }

    private async Task<(DeviceResult<double> Set, DeviceResult<double> Measured, DeviceResult<double> Current)> ReadHvAsync(CancellationToken ct)
    {
        var hv = devices.HighVoltage;
        var set = await hv.GetSetVoltageAsync(ct).ConfigureAwait(false);
        if (set.IsLost) return (set, set, set); // a silent device would cost one time-out per query
        var measured = await hv.MeasureVoltageAsync(ct).ConfigureAwait(false);
        var current = await hv.MeasureCurrentAsync(ct).ConfigureAwait(false);
        return (set, measured, current);
    }

    private async Task<CollimatorMoveResult> SetExitApertureAsync(double x, double y, TimeSpan settleTimeout, CancellationToken ct)
    {
        var collimators = devices.Collimators;
        var command = await collimators.SetApertureAsync(CollimatorId.Exit, x, y, ct).ConfigureAwait(false);
        if (!command.IsOk)
            return new CollimatorMoveResult(null, $"exit collimator: setting {x} × {y} mm²: {command.Problem}");
        // Jaw motion is bounded by the collimator's own speed; the deadline is wall time because it guards a real wait.
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var motion = await collimators.GetMotionAsync(CollimatorId.Exit, ct).ConfigureAwait(false);
            if (!motion.IsOk)
                return new CollimatorMoveResult(null, $"exit collimator: waiting for SETTLED: {motion.Problem}");
            if (motion.Value == CollimatorMotion.Settled)
                break;
            if (waited.Elapsed > settleTimeout)
                return new CollimatorMoveResult(null,
                    $"exit collimator: jaws still MOVING {settleTimeout.TotalSeconds:0.#} s after being set to {x} × {y} mm²");
            await Task.Delay(SettlePollInterval, ct).ConfigureAwait(false);
        }
        var positions = await collimators.GetPositionsAsync(CollimatorId.Exit, ct).ConfigureAwait(false);
        var problems = new List<string>();
        var reached = Collimator(positions, "exit collimator", problems);
        return reached is null
            ? new CollimatorMoveResult(null, problems[0])
            : new CollimatorMoveResult(reached, null);
    }

    private static CollimatorSetting? Collimator(DeviceResult<JawPositions> positions, string what, List<string> problems)
    {
        if (!positions.IsOk)
        {
            problems.Add($"{what}: {positions.Problem}");
            return null;
        }
        var p = positions.Value;
        return CollimatorSetting.FromJaws(p.Left, p.Right, p.Bottom, p.Top);
    }

    private static double? Value(DeviceResult<double> result, string what, List<string> problems)
    {
        if (result.IsOk) return result.Value;
        problems.Add($"{what}: {result.Problem}");
        return null;
    }
}
