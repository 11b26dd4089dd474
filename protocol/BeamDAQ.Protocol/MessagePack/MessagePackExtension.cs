namespace BeamDAQ.Protocol.MessagePack;

/// <summary>
/// An extension value other than a timestamp, as <see cref="MessagePackValue"/> reads and writes it
/// (timestamps, ext type -1, map to <see cref="DateTimeOffset"/>).
/// </summary>
public sealed record MessagePackExtension(sbyte Type, byte[] Data)
{
    public bool Equals(MessagePackExtension? other) =>
        other is not null && Type == other.Type && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(Type, Data.Length);

    public override string ToString() => $"ext(type {Type}, {Data.Length} bytes)";
}
