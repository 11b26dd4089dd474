using Spectre.Console;

namespace BeamDAQ.Protocol.Hosting;

/// <summary>
/// Where a command writes: tables and JSON to <see cref="Out"/>, messages, progress bars and status lines to
/// <see cref="Error"/>. The programs use the process's stdout/stderr; tests pass writers of their own.
/// </summary>
public sealed class CommandConsole(TextWriter output, TextWriter error, bool outputIsTerminal = false, bool errorIsTerminal = false)
{
    /// <summary>The running program's stdout and stderr, each a terminal unless redirected.</summary>
    public static CommandConsole Process => new(Console.Out, Console.Error, !Console.IsOutputRedirected, !Console.IsErrorRedirected);

    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>Whether stderr is a terminal: only then do progress bars and status lines redraw in place.</summary>
    public bool ErrorIsTerminal { get; } = errorIsTerminal;

    /// <summary>Spectre.Console over <see cref="Out"/>, for tables.</summary>
    public IAnsiConsole Ansi => _ansi ??= CreateAnsi(Out, outputIsTerminal);
    private IAnsiConsole? _ansi;

    /// <summary>Spectre.Console over <see cref="Error"/>, for progress bars.</summary>
    public IAnsiConsole AnsiError => _ansiError ??= CreateAnsi(Error, ErrorIsTerminal);
    private IAnsiConsole? _ansiError;

    /// <summary>
    /// <see cref="Out"/> as a byte stream, for JSON and CSV writers: UTF-8 written through in order with the other
    /// output. Disposing it leaves <see cref="Out"/> open.
    /// </summary>
    public Stream OpenOutputStream() => new TextWriterStream(Out);

    /// <summary>Colours and animation only on a terminal; a file or a pipe gets plain, wide lines.</summary>
    private static IAnsiConsole CreateAnsi(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
            console.Profile.Width = 200;   // do not wrap tables at 80 columns
        return console;
    }
}
