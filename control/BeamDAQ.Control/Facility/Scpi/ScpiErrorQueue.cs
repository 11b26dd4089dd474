namespace BeamDAQ.Control.Facility.Scpi;

/// <summary>
/// The instrument's error queue (SCPI-99 §21.8): first in, first out, ten entries; on overflow the last entry
/// becomes -350 "Queue overflow" so the client learns that errors were lost. Not thread-safe: the owning
/// instrument serialises access.
/// </summary>
public sealed class ScpiErrorQueue
{
    public const int Capacity = 10;
    private readonly Queue<string> entries = new();
    private bool overflowed;

    public int Count => entries.Count + (overflowed ? 1 : 0);

    public void Push(int code, string? detail = null)
    {
        if (overflowed)
            return;
        if (entries.Count == Capacity - 1)
        {
            overflowed = true;
            return;
        }
        string text = ScpiError.Message(code) + (string.IsNullOrEmpty(detail) ? "" : ";" + detail.Replace('"', '\''));
        entries.Enqueue($"{code},\"{text}\"");
    }

    /// <summary>The oldest entry as SYST:ERR? answers it, e.g. <c>-113,"Undefined header"</c>.</summary>
    public string Pop()
    {
        if (entries.TryDequeue(out var entry))
            return entry;
        if (overflowed)
        {
            overflowed = false;
            return $"{ScpiError.QueueOverflow},\"{ScpiError.Message(ScpiError.QueueOverflow)}\"";
        }
        return $"{ScpiError.NoError},\"{ScpiError.Message(ScpiError.NoError)}\"";
    }

    public void Clear()
    {
        entries.Clear();
        overflowed = false;
    }
}
