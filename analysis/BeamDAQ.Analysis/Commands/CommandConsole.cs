using Spectre.Console;

namespace BeamDAQ.Analysis.Commands;

/// <summary>
/// Where a command writes: tables and JSON to <see cref="Out"/>, messages and progress bars to <see cref="Error"/>.
/// The program uses the process's stdout/stderr; tests pass writers of their own.
/// </summary>
internal sealed class CommandConsole(TextWriter output, TextWriter error, bool outputIsTerminal = false, bool errorIsTerminal = false)
{
    public static CommandConsole Process => new(Console.Out, Console.Error, !Console.IsOutputRedirected, !Console.IsErrorRedirected);

    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>Spectre.Console over <see cref="Out"/>: colours only on a terminal, wide lines when redirected.</summary>
    public IAnsiConsole Ansi => _ansi ??= Create(Out, outputIsTerminal);
    private IAnsiConsole? _ansi;

    /// <summary>Spectre.Console over <see cref="Error"/>, for progress bars (interactive only on a terminal).</summary>
    public IAnsiConsole AnsiError => _ansiError ??= Create(Error, errorIsTerminal);
    private IAnsiConsole? _ansiError;

    /// <summary>Whether progress bars can be drawn (stderr is a terminal).</summary>
    public bool CanShowProgress => errorIsTerminal;

    private static IAnsiConsole Create(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
            console.Profile.Width = 200;   // a file or a pipe: do not wrap tables at 80 columns
        return console;
    }
}
