using System.Globalization;
using BeamDAQ.Control.Facility.Server;

namespace BeamDAQ.Control.Facility.Scpi;

/// <summary>
/// The behaviour every simulated SCPI instrument shares: IEEE 488.2 common commands (*IDN?, *RST, *CLS,
/// *OPC?), the SYST:ERR? queue, and the SCPI habit of answering a bad command with silence plus a queued
/// error. Derived instruments implement only their own subsystem commands.
/// </summary>
public abstract class ScpiInstrument : ILineProtocol
{
    private static readonly ScpiPattern Identify = new("*IDN");
    private static readonly ScpiPattern ResetPattern = new("*RST");
    private static readonly ScpiPattern ClearStatus = new("*CLS");
    private static readonly ScpiPattern OperationComplete = new("*OPC");
    private static readonly ScpiPattern SystemError = new("SYSTem:ERRor:[NEXT]");

    private readonly object gate = new();
    private readonly ScpiErrorQueue errors = new();

    protected ScpiInstrument(string model, string serial)
    {
        Identity = $"BeamDAQ,{model},{serial},1.0";
    }

    /// <summary>The *IDN? answer: manufacturer, model, serial, firmware.</summary>
    public string Identity { get; }

    public string? Handle(string line)
    {
        lock (gate)
        {
            if (!ScpiCommand.TryParse(line, out var command, out var problem))
            {
                errors.Push(ScpiError.SyntaxError, problem);
                return null;
            }
            ScpiOutcome outcome;
            if (command.Is(Identify))
                outcome = Query(command, () => Identity);
            else if (command.Is(SystemError))
                outcome = Query(command, errors.Pop);
            else if (command.Is(ClearStatus))
                outcome = Command(command, errors.Clear);
            else if (command.Is(ResetPattern))
                outcome = Command(command, Reset);
            else if (command.Is(OperationComplete))
                outcome = command.IsQuery ? Query(command, () => "1") : Command(command, () => { });
            else
                outcome = Execute(command);

            if (outcome.IsError)
            {
                errors.Push(outcome.ErrorCode, outcome.Detail);
                return null;
            }
            return outcome.Reply;
        }
    }

    /// <summary>The instrument's own commands; called under the instrument's lock.</summary>
    protected abstract ScpiOutcome Execute(ScpiCommand command);

    /// <summary>*RST: the instrument's documented reset state.</summary>
    protected abstract void Reset();

    protected static ScpiOutcome Undefined(ScpiCommand command) =>
        ScpiOutcome.Error(ScpiError.UndefinedHeader, command.Header + (command.IsQuery ? "?" : ""));

    /// <summary>A query without parameters; the set form of the same header is undefined.</summary>
    protected static ScpiOutcome Query(ScpiCommand command, Func<string> answer)
    {
        if (!command.IsQuery)
            return Undefined(command);
        if (command.Arguments.Count > 0)
            return ScpiOutcome.Error(ScpiError.ParameterNotAllowed, $"{command.Header}? takes no parameter");
        return ScpiOutcome.Answer(answer());
    }

    protected static ScpiOutcome Query(ScpiCommand command, Func<double> value) =>
        Query(command, () => ScpiNumber.Format(value()));

    protected static ScpiOutcome QueryBoolean(ScpiCommand command, Func<bool> value) =>
        Query(command, () => ScpiNumber.FormatBoolean(value()));

    /// <summary>A command without parameters; its query form is undefined.</summary>
    protected static ScpiOutcome Command(ScpiCommand command, Action action)
    {
        if (command.IsQuery)
            return Undefined(command);
        if (command.Arguments.Count > 0)
            return ScpiOutcome.Error(ScpiError.ParameterNotAllowed, $"{command.Header} takes no parameter");
        action();
        return ScpiOutcome.Done;
    }

    /// <summary>A numeric setting checked against [min, max]; out of range is -222 naming value and limits.</summary>
    protected static ScpiOutcome SetNumber(ScpiCommand command, string quantity, string unit, double min, double max,
        Func<double, ScpiOutcome> apply)
    {
        if (!TryNumber(command, out double value, out var error))
            return error;
        if (value < min || value > max)
            return ScpiOutcome.Error(ScpiError.DataOutOfRange,
                $"{quantity} {Show(value)} {unit} outside [{Show(min)}, {Show(max)}] {unit}");
        return apply(value);
    }

    protected static ScpiOutcome SetBoolean(ScpiCommand command, Func<bool, ScpiOutcome> apply)
    {
        if (command.Arguments.Count == 0)
            return ScpiOutcome.Error(ScpiError.MissingParameter, $"{command.Header} needs ON|OFF");
        if (command.Arguments.Count > 1)
            return ScpiOutcome.Error(ScpiError.ParameterNotAllowed, $"{command.Header} takes one parameter");
        if (!ScpiNumber.TryParseBoolean(command.Arguments[0], out bool value))
            return ScpiOutcome.Error(ScpiError.IllegalParameterValue, $"'{command.Arguments[0]}' is not ON|OFF|1|0");
        return apply(value);
    }

    protected static bool TryNumber(ScpiCommand command, out double value, out ScpiOutcome error) =>
        TryNumberAt(command, 0, 1, out value, out error);

    /// <summary>Parameter <paramref name="index"/> of a command taking exactly <paramref name="count"/>.</summary>
    protected static bool TryNumberAt(ScpiCommand command, int index, int count, out double value, out ScpiOutcome error)
    {
        value = 0;
        if (command.Arguments.Count < count)
        {
            error = ScpiOutcome.Error(ScpiError.MissingParameter, $"{command.Header} needs {count} parameter(s)");
            return false;
        }
        if (command.Arguments.Count > count)
        {
            error = ScpiOutcome.Error(ScpiError.ParameterNotAllowed, $"{command.Header} takes {count} parameter(s)");
            return false;
        }
        if (!ScpiNumber.TryParse(command.Arguments[index], out value))
        {
            error = ScpiOutcome.Error(ScpiError.DataTypeError, $"'{command.Arguments[index]}' is not a number");
            return false;
        }
        error = ScpiOutcome.Done;
        return true;
    }

    protected static string Show(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
