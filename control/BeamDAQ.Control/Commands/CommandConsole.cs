using Spectre.Console;

namespace BeamDAQ.Control.Commands;

/// <summary>
/// Where a command writes: human and JSON output to <see cref="Out"/>, messages to <see cref="Error"/>. The program
/// uses the process's stdout/stderr; tests pass writers of their own.
/// </summary>
internal sealed class CommandConsole(TextWriter output, TextWriter error, bool isTerminal = false)
{
    public static CommandConsole Process => new(Console.Out, Console.Error, !Console.IsOutputRedirected);

    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>Spectre.Console over <see cref="Out"/>: colours only on a terminal, wide lines when redirected.</summary>
    public IAnsiConsole Ansi => _ansi ??= CreateAnsi();
    private IAnsiConsole? _ansi;

    public Stream OpenStandardOutput() => ReferenceEquals(Out, Console.Out) ? Console.OpenStandardOutput() : new WriterStream(Out);

    private IAnsiConsole CreateAnsi()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!isTerminal)
            console.Profile.Width = 200;   // a file or a pipe: do not wrap tables at 80 columns
        return console;
    }

    /// <summary>UTF-8 bytes written through to a TextWriter (JSON writers want a stream; tests want a string).</summary>
    private sealed class WriterStream(TextWriter writer) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => writer.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => writer.Write(System.Text.Encoding.UTF8.GetString(buffer));
    }
}
