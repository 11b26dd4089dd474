using System.Globalization;
using BeamDAQ.Control.Facility.Server;

namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// The collimator master's text protocol (docs/facility.md): every line gets exactly one reply line —
/// a value, <c>OK</c>, or <c>ERR &lt;code&gt; &lt;text&gt;</c>. Keywords are case-insensitive, lengths in mm.
/// <code>
/// COLL EXIT APERTURE 9.9 3.1 [cx cy]   -> OK
/// COLL EXIT APERTURE?                  -> 9.9000 3.1000
/// COLL EXIT CENTRE?                    -> 0.0000 0.0000
/// COLL EXIT POS -4.95 4.95 1.55 -1.55  -> OK          (left right top bottom)
/// COLL EXIT POS?                       -> -4.9500 4.9500 1.5500 -1.5500
/// COLL EXIT TARGET?                    -> commanded positions
/// COLL EXIT JAW LEFT -4.95             -> OK
/// COLL EXIT JAW LEFT?                  -> -4.9500
/// COLL EXIT STATE?                     -> MOVING | SETTLED
/// COLL EXIT STOP                       -> OK
/// LIMITS?                              -> max_aperture travel speed
/// </code>
/// </summary>
public sealed class CollimatorMasterProtocol(SimulatedCollimatorMaster master) : ILineProtocol
{
    public const int UnknownCommand = 1;
    public const int UnknownCollimator = 2;
    public const int BadNumber = 3;
    public const int OutOfRange = 4;
    public const int WrongParameterCount = 5;

    public const string Identity = "BeamDAQ,SIM-COLLIMATOR-MASTER,CM0001,1.0";

    public string? Handle(string line)
    {
        string[] t = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (t.Length == 0)
            return Error(UnknownCommand, "empty command");
        string head = t[0].ToUpperInvariant();
        if (head == "*IDN?" && t.Length == 1)
            return Identity;
        if (head == "LIMITS?" && t.Length == 1)
            return $"{Mm(master.Config.MaxApertureMm)} {Mm(master.Config.JawTravelMm)} {Mm(master.Config.JawSpeedMmPerS)}";
        if (head != "COLL")
            return Error(UnknownCommand, $"unknown command '{t[0]}' (COLL, LIMITS?, *IDN?)");
        if (t.Length < 3)
            return Error(UnknownCommand, "COLL needs a collimator and a command, e.g. 'COLL EXIT POS?'");
        if (!TryCollimator(t[1], out var id))
            return Error(UnknownCollimator, $"unknown collimator '{t[1]}' (ENTRANCE, EXIT)");

        string verb = t[2].ToUpperInvariant();
        string[] args = t[3..];
        switch (verb)
        {
            case "APERTURE?":
                return NoArgs(args) ?? Pair(master.Positions(id).ApertureX, master.Positions(id).ApertureY);
            case "CENTRE?" or "CENTER?":
                return NoArgs(args) ?? Pair(master.Positions(id).CentreX, master.Positions(id).CentreY);
            case "POS?":
                return NoArgs(args) ?? Four(master.Positions(id));
            case "TARGET?":
                return NoArgs(args) ?? Four(master.Targets(id));
            case "STATE?":
                return NoArgs(args) ?? (master.IsSettled(id) ? "SETTLED" : "MOVING");
            case "STOP":
                if (NoArgs(args) is { } stopError)
                    return stopError;
                master.Stop(id);
                return "OK";
            case "APERTURE":
                if (args.Length is not (2 or 4))
                    return Error(WrongParameterCount, "APERTURE takes <x> <y> [<cx> <cy>]");
                if (!TryNumbers(args, out var a, out var numberError))
                    return numberError;
                return Done(a.Length == 4
                    ? master.TrySetAperture(id, a[0], a[1], a[2], a[3])
                    : master.TrySetAperture(id, a[0], a[1]));
            case "POS":
                if (args.Length != 4)
                    return Error(WrongParameterCount, "POS takes <left> <right> <top> <bottom>");
                if (!TryNumbers(args, out var p, out var posError))
                    return posError;
                return Done(master.TryMove(id, new JawPositions(p[0], p[1], p[2], p[3])));
            case "JAW":
                return Jaw(id, args);
            default:
                return Error(UnknownCommand, $"unknown collimator command '{t[2]}' (APERTURE, APERTURE?, CENTRE?, POS, POS?, TARGET?, JAW, STATE?, STOP)");
        }
    }

    private string Jaw(CollimatorId id, string[] args)
    {
        if (args.Length == 0)
            return Error(WrongParameterCount, "JAW takes <LEFT|RIGHT|TOP|BOTTOM> [<mm>] or <jaw>?");
        bool query = args[0].EndsWith('?');
        string name = query ? args[0][..^1] : args[0];
        if (!Enum.TryParse<JawId>(name, ignoreCase: true, out var jaw) || !Enum.IsDefined(jaw) || name.All(char.IsDigit))
            return Error(UnknownCommand, $"unknown jaw '{name}' (LEFT, RIGHT, TOP, BOTTOM)");
        if (query)
            return args.Length == 1 ? Mm(master.Positions(id)[jaw]) : Error(WrongParameterCount, "JAW <jaw>? takes no value");
        if (args.Length != 2)
            return Error(WrongParameterCount, "JAW <jaw> takes one position in mm");
        if (!TryNumbers(args[1..], out var v, out var error))
            return error;
        return Done(master.TryMoveJaw(id, jaw, v[0]));
    }

    private static bool TryCollimator(string text, out CollimatorId id)
    {
        switch (text.ToUpperInvariant())
        {
            case "ENTRANCE" or "ENT":
                id = CollimatorId.Entrance;
                return true;
            case "EXIT":
                id = CollimatorId.Exit;
                return true;
            default:
                id = default;
                return false;
        }
    }

    private static bool TryNumbers(string[] args, out double[] values, out string error)
    {
        values = new double[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            if (!double.TryParse(args[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                error = Error(BadNumber, $"'{args[i]}' is not a number");
                return false;
            }
        }
        error = "";
        return true;
    }

    private static string? NoArgs(string[] args) =>
        args.Length == 0 ? null : Error(WrongParameterCount, "a query takes no parameter");

    private static string Done(string? problem) => problem is null ? "OK" : Error(OutOfRange, problem);

    private static string Error(int code, string text) => $"ERR {code} {text}";

    private static string Pair(double a, double b) => $"{Mm(a)} {Mm(b)}";

    private static string Four(JawPositions p) => $"{Mm(p.Left)} {Mm(p.Right)} {Mm(p.Top)} {Mm(p.Bottom)}";

    private static string Mm(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
