namespace BeamDAQ.Protocol.Events;

/// <summary>The <c>flags</c> bit set of an <c>evt</c> map. Bit values are part of the public format.</summary>
[Flags]
public enum EventFlags : uint
{
    None = 0,
    OverRangeChannel1 = 1 << 0,
    OverRangeChannel2 = 1 << 1,
    OverRangeChannel3 = 1 << 2,
    OverRangeChannel4 = 1 << 3,
    /// <summary>The digitizer triggered on its time-out, not on the beam trigger.</summary>
    TriggerTimeout = 1 << 4,
    /// <summary>Fewer valid pre-trigger samples than requested (the trigger came early after arming).</summary>
    IncompletePreSamples = 1 << 5,
    /// <summary>The event was republished from a run file (replay), not acquired live.</summary>
    Replay = 1 << 6,
}

public static class EventFlagsExtensions
{
    /// <summary>The over-range bit of channel <paramref name="channelId"/> (1–4).</summary>
    public static EventFlags OverRangeOf(int channelId) => (EventFlags)(1u << (channelId - 1));
}
