namespace BeamDAQ.Control.Facility.Scpi;

/// <summary>The standard SCPI error numbers the simulated instruments report through SYST:ERR?.</summary>
public static class ScpiError
{
    public const int NoError = 0;
    public const int SyntaxError = -102;
    public const int DataTypeError = -104;
    public const int ParameterNotAllowed = -108;
    public const int MissingParameter = -109;
    public const int UndefinedHeader = -113;
    public const int SettingsConflict = -221;
    public const int DataOutOfRange = -222;
    public const int IllegalParameterValue = -224;
    public const int QueueOverflow = -350;

    public static string Message(int code) => code switch
    {
        NoError => "No error",
        SyntaxError => "Syntax error",
        DataTypeError => "Data type error",
        ParameterNotAllowed => "Parameter not allowed",
        MissingParameter => "Missing parameter",
        UndefinedHeader => "Undefined header",
        SettingsConflict => "Settings conflict",
        DataOutOfRange => "Data out of range",
        IllegalParameterValue => "Illegal parameter value",
        QueueOverflow => "Queue overflow",
        _ => "Error",
    };
}
