using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Control.RunControl.Supervision;

/// <summary>
/// The <c>run.end</c> record a run file closes with, read from the file itself: how a run ended when the front end's
/// <c>run.end</c> message never reached run control (its publication queue may drop messages; the file never does).
/// </summary>
public static class RunFileEnd
{
    /// <summary>The file's last record as a run.end of <paramref name="run"/>; null if it does not end so or cannot be read.</summary>
    public static RunEndMessage? TryRead(string? path, long run)
    {
        if (path is null || !File.Exists(path))
            return null;
        try
        {
            using var reader = RunFileReader.Open(path);
            byte[]? last = null;
            bool lastIsEnd = false;
            while (reader.TryRead(out var record))
            {
                lastIsEnd = record.Topic == Topics.RunEnd;
                if (lastIsEnd) last = record.Payload.ToArray();   // the mapped window moves on: keep a copy
            }
            if (!lastIsEnd || last is null)
                return null;
            var end = RunEndMessage.FromMap(MapMessage.Decode(last));
            return end.Run == run ? end : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
