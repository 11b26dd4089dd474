using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>How one decoder treated one input.</summary>
public enum DecodeOutcome
{
    /// <summary>Decoded into a message.</summary>
    Accepted,

    /// <summary>Rejected with a <see cref="MessagePackFormatException"/> whose offset lies inside the input.</summary>
    FormatErrorWithOffset,

    /// <summary>Well-formed MessagePack, rejected by the typed layer with a <see cref="FormatException"/> naming the topic and key.</summary>
    TypedErrorNamingKey,

    /// <summary>Anything else: a crash, a cast error, an offset outside the input, an error that names nothing.</summary>
    Failure,
}

/// <summary>
/// The paths a consumer takes with a payload, exactly as the programs do: the envelope read of a subscriber that
/// only counts (<see cref="MapMessage.ReadSequence"/>), the evt codec, and the untyped map followed by the topic's
/// typed <c>FromMap</c>.
/// </summary>
public static class WireDecoding
{
    public static (DecodeOutcome Outcome, string? Detail) Envelope(byte[] payload) =>
        Classify(payload, null, () => MapMessage.ReadSequence(payload));

    public static (DecodeOutcome Outcome, string? Detail) Typed(string topic, byte[] payload) => topic switch
    {
        Topics.Event => Classify(payload, topic, () => EventCodec.Decode(payload)),
        _ => Classify(payload, topic, () => FromMap(topic, MapMessage.Decode(payload))),
    };

    public static object FromMap(string topic, IReadOnlyDictionary<string, object?> map) => topic switch
    {
        Topics.RunBegin => RunBeginMessage.FromMap(map),
        Topics.RunEnd => RunEndMessage.FromMap(map),
        Topics.DaqStatus => DaqStatusMessage.FromMap(map),
        Topics.SlowControl => SlowControlMessage.FromMap(map),
        Topics.Fit => FitMessage.FromMap(map),
        Topics.Alarm => AlarmMessage.FromMap(map),
        _ => map,
    };

    private static (DecodeOutcome, string?) Classify(byte[] payload, string? topic, Func<object> decode)
    {
        try
        {
            decode();
            return (DecodeOutcome.Accepted, null);
        }
        catch (MessagePackFormatException e)
        {
            return e.Offset >= 0 && e.Offset <= payload.Length
                ? (DecodeOutcome.FormatErrorWithOffset, null)
                : (DecodeOutcome.Failure, $"offset {e.Offset} outside the {payload.Length}-byte input: {e.Message}");
        }
        catch (FormatException e) when (topic is not null && e.Message.StartsWith(topic + " map", StringComparison.Ordinal) && e.Message.Contains('\''))
        {
            return (DecodeOutcome.TypedErrorNamingKey, null);
        }
        catch (FormatException e) when (topic is not null && e.Message.StartsWith(topic + " map: schema version", StringComparison.Ordinal))
        {
            return (DecodeOutcome.TypedErrorNamingKey, null);
        }
        catch (Exception e)
        {
            return (DecodeOutcome.Failure, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
