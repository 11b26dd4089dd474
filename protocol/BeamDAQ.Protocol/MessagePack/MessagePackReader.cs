using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace BeamDAQ.Protocol.MessagePack;

/// <summary>
/// Reads MessagePack from a span without allocating (except <see cref="ReadString"/>). Every declared length or
/// count is checked against the bytes that remain before anything is sliced or allocated, so a hostile header
/// (a 4 GB str in a 100-byte message) is a <see cref="MessagePackFormatException"/> carrying the value's offset.
/// </summary>
public ref struct MessagePackReader
{
    /// <summary>Deepest container nesting <see cref="Skip"/> and <see cref="MessagePackValue.Read"/> accept.</summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public MessagePackReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Offset of the next value within the buffer.</summary>
    public readonly int Position => _position;

    /// <summary>True when every byte has been consumed.</summary>
    public readonly bool End => _position >= _buffer.Length;

    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>Type of the next value; throws at the end of the buffer.</summary>
    public readonly MessagePackType NextType => MessagePackCode.TypeOf(PeekCode());

    /// <summary>Consumes a nil and returns true; leaves anything else unread and returns false.</summary>
    public bool TryReadNil()
    {
        if (PeekCode() != MessagePackCode.Nil) return false;
        _position++;
        return true;
    }

    public void ReadNil()
    {
        byte code = PeekCode();
        if (code != MessagePackCode.Nil) ThrowUnexpected(_position, "nil", code);
        _position++;
    }

    public bool ReadBoolean()
    {
        byte code = PeekCode();
        switch (code)
        {
            case MessagePackCode.False: _position++; return false;
            case MessagePackCode.True: _position++; return true;
            default: ThrowUnexpected(_position, "a boolean", code); return false;
        }
    }

    /// <summary>Any integer format; a uint 64 above <see cref="long.MaxValue"/> is an error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadInt64()
    {
        int start = _position;
        byte code = PeekCode();
        if (code <= MessagePackCode.MaxPositiveFixInt)
        {
            _position++;
            return code;
        }
        return ReadInt64Slow(start, code);
    }

    /// <summary>Any integer format; a negative value is an error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadUInt64()
    {
        int start = _position;
        byte code = PeekCode();
        if (code <= MessagePackCode.MaxPositiveFixInt)
        {
            _position++;
            return code;
        }
        return ReadUInt64Slow(start, code);
    }

    /// <summary>A float 64 or float 32, or an integer converted to double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ReadDouble()
    {
        int start = _position;
        byte code = PeekCode();
        if (code == MessagePackCode.Float64)
            return BinaryPrimitives.ReadDoubleBigEndian(Take(start, 9)[1..]);
        return ReadDoubleSlow(start, code);
    }

    /// <summary>A float 32, or a float 64 or integer converted (rounded) to float.</summary>
    public float ReadSingle()
    {
        int start = _position;
        byte code = PeekCode();
        if (code == MessagePackCode.Float32)
            return BinaryPrimitives.ReadSingleBigEndian(Take(start, 5)[1..]);
        return (float)ReadDoubleSlow(start, code);
    }

    /// <summary>A str decoded as strict UTF-8 (invalid UTF-8 is a format error, as in Python).</summary>
    public string ReadString()
    {
        int start = _position;
        var utf8 = ReadStringUtf8();
        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            ThrowFormat(start, $"str of {utf8.Length} bytes is not valid UTF-8");
            return null;
        }
    }

    /// <summary>The raw bytes of a str, as a slice of the buffer (not validated as UTF-8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadStringUtf8()
    {
        int start = _position;
        byte code = PeekCode();
        if ((uint)(code - MessagePackCode.MinFixStr) <= 31u)
            return Take(start, 1 + (code & 0x1f))[1..];
        return ReadStringUtf8Slow(start, code);
    }

    /// <summary>The body of a bin, as a slice of the buffer.</summary>
    public ReadOnlySpan<byte> ReadBinary()
    {
        var (offset, length) = ReadBinaryBounds();
        return _buffer.Slice(offset, length);
    }

    /// <summary>Where the body of the next bin lies in the buffer, so the caller can slice its own memory.</summary>
    public (int Offset, int Length) ReadBinaryBounds()
    {
        int start = _position;
        byte code = PeekCode();
        int header;
        long length;
        switch (code)
        {
            case MessagePackCode.Bin8: header = 2; length = Take(start, 2)[1]; break;
            case MessagePackCode.Bin16: header = 3; length = BinaryPrimitives.ReadUInt16BigEndian(Take(start, 3)[1..]); break;
            case MessagePackCode.Bin32: header = 5; length = BinaryPrimitives.ReadUInt32BigEndian(Take(start, 5)[1..]); break;
            default: ThrowUnexpected(start, "a bin", code); return default;
        }
        EnsureBody(start, "bin", length);
        int offset = start + header;
        _position = offset + (int)length;
        return (offset, (int)length);
    }

    /// <summary>An array header; the count is at most the bytes remaining (every element takes at least one).</summary>
    public int ReadArrayHeader()
    {
        int start = _position;
        byte code = PeekCode();
        long count;
        if ((uint)(code - MessagePackCode.MinFixArray) <= 15u)
        {
            _position++;
            count = code & 0x0f;
        }
        else if (code == MessagePackCode.Array16)
            count = BinaryPrimitives.ReadUInt16BigEndian(Take(start, 3)[1..]);
        else if (code == MessagePackCode.Array32)
            count = BinaryPrimitives.ReadUInt32BigEndian(Take(start, 5)[1..]);
        else
        {
            ThrowUnexpected(start, "an array", code);
            return 0;
        }
        if (count > Remaining)
            ThrowFormat(start, $"array declares {count} elements but only {Remaining} bytes remain");
        return (int)count;
    }

    /// <summary>A map header; the count is at most half the bytes remaining (every key and value takes at least one).</summary>
    public int ReadMapHeader()
    {
        int start = _position;
        byte code = PeekCode();
        long count;
        if ((uint)(code - MessagePackCode.MinFixMap) <= 15u)
        {
            _position++;
            count = code & 0x0f;
        }
        else if (code == MessagePackCode.Map16)
            count = BinaryPrimitives.ReadUInt16BigEndian(Take(start, 3)[1..]);
        else if (code == MessagePackCode.Map32)
            count = BinaryPrimitives.ReadUInt32BigEndian(Take(start, 5)[1..]);
        else
        {
            ThrowUnexpected(start, "a map", code);
            return 0;
        }
        if (count * 2 > Remaining)
            ThrowFormat(start, $"map declares {count} entries but only {Remaining} bytes remain");
        return (int)count;
    }

    /// <summary>An extension value: its type, and its data as a slice of the buffer.</summary>
    public ReadOnlySpan<byte> ReadExtension(out sbyte type)
    {
        int start = _position;
        byte code = PeekCode();
        int header;
        long length;
        switch (code)
        {
            case >= MessagePackCode.FixExt1 and <= MessagePackCode.FixExt16:
                header = 2; // code + type
                length = 1 << (code - MessagePackCode.FixExt1);
                Take(start, 2);
                break;
            case MessagePackCode.Ext8: header = 3; length = Take(start, 3)[1]; break;
            case MessagePackCode.Ext16: header = 4; length = BinaryPrimitives.ReadUInt16BigEndian(Take(start, 4)[1..]); break;
            case MessagePackCode.Ext32: header = 6; length = BinaryPrimitives.ReadUInt32BigEndian(Take(start, 6)[1..]); break;
            default: ThrowUnexpected(start, "an extension", code); type = 0; return default;
        }
        type = unchecked((sbyte)_buffer[start + header - 1]);
        EnsureBody(start, "ext", length);
        var data = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return data;
    }

    /// <summary>The timestamp extension (type -1) in its 32, 64 or 96-bit form, as UTC.</summary>
    public DateTimeOffset ReadTimestamp()
    {
        int start = _position;
        var data = ReadExtension(out sbyte type);
        if (type != MessagePackCode.TimestampType)
            ThrowFormat(start, $"expected a timestamp (ext type -1), found ext type {type}");
        return DecodeTimestamp(start, data);
    }

    /// <summary>Skips the next value, however deeply nested (up to <see cref="MaxDepth"/>), without recursion.</summary>
    public void Skip()
    {
        // pending[d] = values still to skip at nesting depth d; a container pushes its children one level down.
        Span<long> pending = stackalloc long[MaxDepth + 1];
        int depth = 0;
        pending[0] = 1;
        while (true)
        {
            if (pending[depth] == 0)
            {
                if (depth == 0) return;
                depth--;
                continue;
            }
            pending[depth]--;
            int start = _position;
            byte code = PeekCode();
            switch (MessagePackCode.TypeOf(code))
            {
                case MessagePackType.Array:
                case MessagePackType.Map:
                    if (depth == MaxDepth)
                        ThrowFormat(start, $"containers nested deeper than {MaxDepth} levels");
                    long children = MessagePackCode.TypeOf(code) == MessagePackType.Array ? ReadArrayHeader() : 2L * ReadMapHeader();
                    pending[++depth] = children;
                    break;
                case MessagePackType.Unused:
                    ThrowUnexpected(start, "a value", code);
                    break;
                default:
                    SkipScalar(start, code);
                    break;
            }
        }
    }

    private void SkipScalar(int start, byte code)
    {
        switch (MessagePackCode.TypeOf(code))
        {
            case MessagePackType.Nil:
            case MessagePackType.Boolean:
                _position++;
                break;
            case MessagePackType.Integer:
                ReadInt128Core(start, code);
                break;
            case MessagePackType.Float:
                Take(start, code == MessagePackCode.Float32 ? 5 : 9);
                break;
            case MessagePackType.String:
                ReadStringUtf8();
                break;
            case MessagePackType.Binary:
                ReadBinaryBounds();
                break;
            case MessagePackType.Extension:
                ReadExtension(out _);
                break;
        }
    }

    internal static DateTimeOffset DecodeTimestamp(int start, ReadOnlySpan<byte> data)
    {
        long seconds;
        uint nanoseconds;
        switch (data.Length)
        {
            case 4:
                seconds = BinaryPrimitives.ReadUInt32BigEndian(data);
                nanoseconds = 0;
                break;
            case 8:
                ulong data64 = BinaryPrimitives.ReadUInt64BigEndian(data);
                nanoseconds = (uint)(data64 >> 34);
                seconds = (long)(data64 & 0x3_FFFF_FFFF);
                break;
            case 12:
                nanoseconds = BinaryPrimitives.ReadUInt32BigEndian(data);
                seconds = BinaryPrimitives.ReadInt64BigEndian(data[4..]);
                break;
            default:
                ThrowFormat(start, $"timestamp has {data.Length} data bytes; allowed 4, 8 or 12");
                return default;
        }
        if (nanoseconds >= 1_000_000_000)
            ThrowFormat(start, $"timestamp nanoseconds {nanoseconds} out of range; allowed 0–999999999");
        if (!MessagePackTimestamp.TryFromUnix(seconds, nanoseconds, out var value))
            ThrowFormat(start, $"timestamp {seconds} s since the Unix epoch lies outside the years 1–9999");
        return value;
    }

    /// <summary>Reads any integer format widened to Int128, so both signed and unsigned 64-bit values fit.</summary>
    internal Int128 ReadInteger()
    {
        int start = _position;
        return ReadInt128Core(start, PeekCode());
    }

    private Int128 ReadInt128Core(int start, byte code)
    {
        if (code <= MessagePackCode.MaxPositiveFixInt) { _position++; return code; }
        if (code >= MessagePackCode.MinNegativeFixInt) { _position++; return (sbyte)code; }
        return code switch
        {
            MessagePackCode.UInt8 => Take(start, 2)[1],
            MessagePackCode.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(Take(start, 3)[1..]),
            MessagePackCode.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(Take(start, 5)[1..]),
            MessagePackCode.UInt64 => BinaryPrimitives.ReadUInt64BigEndian(Take(start, 9)[1..]),
            MessagePackCode.Int8 => (sbyte)Take(start, 2)[1],
            MessagePackCode.Int16 => BinaryPrimitives.ReadInt16BigEndian(Take(start, 3)[1..]),
            MessagePackCode.Int32 => BinaryPrimitives.ReadInt32BigEndian(Take(start, 5)[1..]),
            MessagePackCode.Int64 => BinaryPrimitives.ReadInt64BigEndian(Take(start, 9)[1..]),
            _ => ThrowUnexpectedInteger(start, code),
        };
    }

    private long ReadInt64Slow(int start, byte code)
    {
        Int128 value = ReadInt128Core(start, code);
        if (value > long.MaxValue)
            ThrowFormat(start, $"integer {value} exceeds the int64 maximum {long.MaxValue}");
        return (long)value;
    }

    private ulong ReadUInt64Slow(int start, byte code)
    {
        Int128 value = ReadInt128Core(start, code);
        if (value < 0)
            ThrowFormat(start, $"integer {value} is negative; an unsigned value is required");
        return (ulong)value;
    }

    private double ReadDoubleSlow(int start, byte code)
    {
        switch (code)
        {
            case MessagePackCode.Float32: return BinaryPrimitives.ReadSingleBigEndian(Take(start, 5)[1..]);
            case MessagePackCode.Float64: return BinaryPrimitives.ReadDoubleBigEndian(Take(start, 9)[1..]);
        }
        if (MessagePackCode.TypeOf(code) != MessagePackType.Integer)
            ThrowUnexpected(start, "a float or an integer", code);
        return (double)ReadInt128Core(start, code);
    }

    private ReadOnlySpan<byte> ReadStringUtf8Slow(int start, byte code)
    {
        int header;
        long length;
        switch (code)
        {
            case MessagePackCode.Str8: header = 2; length = Take(start, 2)[1]; break;
            case MessagePackCode.Str16: header = 3; length = BinaryPrimitives.ReadUInt16BigEndian(Take(start, 3)[1..]); break;
            case MessagePackCode.Str32: header = 5; length = BinaryPrimitives.ReadUInt32BigEndian(Take(start, 5)[1..]); break;
            default: ThrowUnexpected(start, "a str", code); return default;
        }
        EnsureBody(start, "str", length);
        var body = _buffer.Slice(start + header, (int)length);
        _position = start + header + (int)length;
        return body;
    }

    /// <summary>The next format byte, not consumed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly byte PeekCode()
    {
        if ((uint)_position >= (uint)_buffer.Length)
            ThrowFormat(_position, "unexpected end of data: a value was expected");
        return _buffer[_position];
    }

    /// <summary>Consumes <paramref name="size"/> bytes (a format byte and its fixed-size fields) after a bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int start, int size)
    {
        if ((uint)size > (uint)(_buffer.Length - _position))
            ThrowTruncated(start, size, _buffer.Length - _position);
        var span = _buffer.Slice(_position, size);
        _position += size;
        return span;
    }

    /// <summary>Checks a declared body length against the remaining bytes before anything is sliced or allocated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void EnsureBody(int start, string family, long length)
    {
        if (length > _buffer.Length - _position)
            ThrowFormat(start, $"{family} declares {length} bytes but only {_buffer.Length - _position} remain");
    }

    [DoesNotReturn]
    private readonly void ThrowTruncated(int start, int size, int remaining) =>
        throw new MessagePackFormatException(start, $"truncated {MessagePackCode.Describe(_buffer[start])}: needs {size} bytes of header and value, only {remaining} remain");

    [DoesNotReturn]
    private static Int128 ThrowUnexpectedInteger(int start, byte code)
    {
        ThrowUnexpected(start, "an integer", code);
        return default;
    }

    [DoesNotReturn]
    internal static void ThrowUnexpected(int offset, string expected, byte code) =>
        throw new MessagePackFormatException(offset, $"expected {expected}, found {MessagePackCode.Describe(code)}");

    [DoesNotReturn]
    internal static void ThrowFormat(long offset, string reason) =>
        throw new MessagePackFormatException(offset, reason);
}
