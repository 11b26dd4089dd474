using System.Text;

namespace BeamDAQ.Control.SlowControl.Transport;

/// <summary>
/// Reads '\n'-terminated lines from a stream without per-byte calls, with a hard line-length limit so a
/// peer sending garbage without newlines cannot grow memory. Shared by the simulated devices and the
/// slow-control clients. "\r\n" is accepted too (many instruments send it).
/// </summary>
internal sealed class AsciiLineReader(Stream stream, int maxLineLength = 4096)
{
    private readonly byte[] buffer = new byte[maxLineLength + 1];
    private int start;
    private int end;

    /// <summary>The next line without its terminator, or null at end of stream (a partial last line is dropped).</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                int length = newline - start;
                if (length > 0 && buffer[newline - 1] == (byte)'\r')
                    length--;
                string line = Encoding.UTF8.GetString(buffer, start, length);
                start = newline + 1;
                return line;
            }
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length)
                throw new LineTooLongException(maxLineLength);
            int read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return null;
            end += read;
        }
    }

    /// <summary>Bytes received but not yet returned as a line.</summary>
    public int Pending => end - start;
}

/// <summary>A peer sent more than the allowed line length without a newline.</summary>
public sealed class LineTooLongException(int limit)
    : IOException($"line longer than {limit} bytes without a newline")
{
    public int Limit { get; } = limit;
}
