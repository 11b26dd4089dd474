using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Control.RunControl.Supervision;

/// <summary>
/// The <c>run.begin</c> a run file opens with and the <c>run.end</c> it closes with, read from the file itself: what
/// run control records when the front end's messages never reached it (its publication queue may drop a message when
/// events flood it; the file never does).
/// </summary>
public static class RunFileRecords
{
    /// <summary>The file's first record as the run.begin of <paramref name="run"/>; null if it is not, or cannot be read.</summary>
    public static RunBeginMessage? TryReadBegin(string? path, long run)
    {
        if (path is null || !File.Exists(path))
            return null;
        try
        {
            using var reader = RunFileReader.Open(path);
            if (!reader.TryRead(out var record) || record.Topic != Topics.RunBegin)
                return null;
            var begin = RunBeginMessage.FromMap(MapMessage.Decode(record.Payload.Span));
            return begin.Run == run ? begin : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The file's last record as the run.end of <paramref name="run"/>; null if it does not end so or cannot be read.</summary>
    public static RunEndMessage? TryReadEnd(string? path, long run)
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
