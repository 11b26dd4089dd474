using System.Diagnostics;
using System.Globalization;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Daq.Commands;

/// <summary>
/// The live line of <c>beamdaq-daq run</c> on stderr: rewritten in place every heartbeat on a terminal, a plain
/// line every ten seconds when stderr is a file or a pipe (so logs stay readable).
/// </summary>
internal sealed class StatusLine(TextWriter error, bool terminal)
{
    private static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private long _lastLine;
    private int _width;

    public void Show(DaqStatusMessage s)
    {
        string line = Format(s);
        lock (_gate)
        {
            if (terminal)
            {
                error.Write('\r' + line.PadRight(_width));
                _width = line.Length;
            }
            else if (_lastLine == 0 || Stopwatch.GetElapsedTime(_lastLine) >= RedirectedInterval)
            {
                error.WriteLine(line);
            }
            else return;
            _lastLine = Stopwatch.GetTimestamp();
            error.Flush();
        }
    }

    /// <summary>Ends the rewritten line so what follows starts on its own.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (terminal && _width > 0) error.WriteLine();
            _width = 0;
        }
    }

    public static string Format(DaqStatusMessage s) => string.Create(CultureInfo.InvariantCulture,
        $"run {s.Run?.ToString(CultureInfo.InvariantCulture) ?? "-"} | {s.State} | {s.Events} events | {s.TriggerRateHz:0.0} Hz | missed {s.Missed} | dead {s.DeadTimeFraction:P2} | {Size(s.BytesWritten)} | device {s.DeviceState} | dropped {s.Dropped}");

    public static string Size(long bytes) => bytes switch
    {
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.0} kB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.00} GB"),
    };
}
