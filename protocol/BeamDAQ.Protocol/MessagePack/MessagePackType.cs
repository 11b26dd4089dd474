namespace BeamDAQ.Protocol.MessagePack;

/// <summary>The type family of the next value, as announced by its format byte.</summary>
public enum MessagePackType
{
    /// <summary>The format byte 0xc1, which the specification never uses.</summary>
    Unused = 0,
    Nil,
    Boolean,
    Integer,
    Float,
    String,
    Binary,
    Array,
    Map,
    /// <summary>An extension value; timestamps are extensions of type -1.</summary>
    Extension,
}
