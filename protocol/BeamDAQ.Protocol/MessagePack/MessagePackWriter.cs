using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace BeamDAQ.Protocol.MessagePack;

/// <summary>
/// Writes MessagePack into a growable buffer that is kept across messages (<see cref="Reset"/>), so encoding
/// a message in steady state allocates nothing. Every value takes the smallest encoding, choosing the same
/// bytes as Python's <c>msgpack.packb(x, use_bin_type=True)</c>.
/// </summary>
public sealed class MessagePackWriter
{
    // Strict: an unpaired surrogate is a caller bug, not something to replace silently with U+FFFD.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer;
    private int _length;

    public MessagePackWriter(int initialCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _buffer = new byte[Math.Max(initialCapacity, 16)];
    }

    /// <summary>
    /// A writer that starts in <paramref name="buffer"/>; when the caller sized it exactly, <see cref="DetachExact"/>
    /// hands it back without a copy.
    /// </summary>
    internal MessagePackWriter(byte[] buffer)
    {
        _buffer = buffer;
    }

    /// <summary>The written bytes as an array: the buffer itself when it is exactly full, otherwise a copy.</summary>
    internal byte[] DetachExact()
    {
        byte[] result = _length == _buffer.Length ? _buffer : WrittenSpan.ToArray();
        _buffer = [];
        _length = 0;
        return result;
    }

    /// <summary>Encoded size of an integer (<see cref="WriteInt64"/>, <see cref="WriteUInt64"/>).</summary>
    internal static int IntegerLength(long value) => value >= 0 ? IntegerLength((ulong)value) : value switch
    {
        >= -32 => 1,
        >= sbyte.MinValue => 2,
        >= short.MinValue => 3,
        >= int.MinValue => 5,
        _ => 9,
    };

    internal static int IntegerLength(ulong value) => value switch
    {
        <= MessagePackCode.MaxPositiveFixInt => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        <= uint.MaxValue => 5,
        _ => 9,
    };

    /// <summary>Encoded size of a str or map key of <paramref name="byteCount"/> UTF-8 bytes, header included.</summary>
    internal static int StringLength(int byteCount) => byteCount + byteCount switch { <= 31 => 1, <= byte.MaxValue => 2, <= ushort.MaxValue => 3, _ => 5 };

    /// <summary>Encoded size of a bin of <paramref name="length"/> bytes, header included.</summary>
    internal static int BinaryLength(int length) => length + length switch { <= byte.MaxValue => 2, <= ushort.MaxValue => 3, _ => 5 };

    /// <summary>Encoded size of an array or map header.</summary>
    internal static int ContainerHeaderLength(int count) => count switch { <= 15 => 1, <= ushort.MaxValue => 3, _ => 5 };

    /// <summary>Forgets what was written; keeps the buffer for the next message.</summary>
    public void Reset() => _length = 0;

    public int Length => _length;

    /// <summary>The bytes written since the last <see cref="Reset"/>; valid until the next write or reset.</summary>
    public ReadOnlySpan<byte> WrittenSpan => new(_buffer, 0, _length);

    /// <summary>The bytes written since the last <see cref="Reset"/>; valid until the next write or reset.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => new(_buffer, 0, _length);

    public void WriteNil() => Reserve(1)[0] = MessagePackCode.Nil;

    public void WriteBoolean(bool value) => Reserve(1)[0] = value ? MessagePackCode.True : MessagePackCode.False;

    /// <summary>Smallest encoding; non-negative values use the unsigned formats, as Python's msgpack does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64(long value)
    {
        if (value >= 0)
        {
            WriteUInt64((ulong)value);
            return;
        }
        if (value >= -32)
        {
            Reserve(1)[0] = unchecked((byte)value); // negative fixint 0xe0–0xff
        }
        else if (value >= sbyte.MinValue)
        {
            var span = Reserve(2); // code + int8
            span[0] = MessagePackCode.Int8;
            span[1] = unchecked((byte)value);
        }
        else if (value >= short.MinValue)
        {
            var span = Reserve(3); // code + int16
            span[0] = MessagePackCode.Int16;
            BinaryPrimitives.WriteInt16BigEndian(span[1..], (short)value);
        }
        else if (value >= int.MinValue)
        {
            var span = Reserve(5); // code + int32
            span[0] = MessagePackCode.Int32;
            BinaryPrimitives.WriteInt32BigEndian(span[1..], (int)value);
        }
        else
        {
            var span = Reserve(9); // code + int64
            span[0] = MessagePackCode.Int64;
            BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
        }
    }

    /// <summary>Smallest encoding: positive fixint, uint 8, 16, 32 or 64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUInt64(ulong value)
    {
        if (value <= MessagePackCode.MaxPositiveFixInt)
        {
            Reserve(1)[0] = (byte)value;
        }
        else if (value <= byte.MaxValue)
        {
            var span = Reserve(2); // code + uint8
            span[0] = MessagePackCode.UInt8;
            span[1] = (byte)value;
        }
        else if (value <= ushort.MaxValue)
        {
            var span = Reserve(3); // code + uint16
            span[0] = MessagePackCode.UInt16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value);
        }
        else if (value <= uint.MaxValue)
        {
            var span = Reserve(5); // code + uint32
            span[0] = MessagePackCode.UInt32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
        }
        else
        {
            var span = Reserve(9); // code + uint64
            span[0] = MessagePackCode.UInt64;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
        }
    }

    /// <summary>Always float 32 (Python writes float 32 only with <c>use_single_float=True</c>).</summary>
    public void WriteSingle(float value)
    {
        var span = Reserve(5); // code + IEEE 754 single
        span[0] = MessagePackCode.Float32;
        BinaryPrimitives.WriteSingleBigEndian(span[1..], value);
    }

    /// <summary>Always float 64, never narrowed, like Python's default.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDouble(double value)
    {
        var span = Reserve(9); // code + IEEE 754 double
        span[0] = MessagePackCode.Float64;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
    }

    /// <summary>A str; throws <see cref="ArgumentException"/> for a string with an unpaired surrogate.</summary>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"string is not valid UTF-16 (unpaired surrogate at index {e.Index}); it cannot be written as a MessagePack str", nameof(value), e);
        }
        WriteStringHeader(byteCount);
        StrictUtf8.GetBytes(value, Reserve(byteCount));
    }

    /// <summary>A str from bytes the caller guarantees to be UTF-8.</summary>
    public void WriteStringUtf8(ReadOnlySpan<byte> utf8)
    {
        WriteStringHeader(utf8.Length);
        utf8.CopyTo(Reserve(utf8.Length));
    }

    /// <summary>A map key (a str); for <c>"key"u8</c> literals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteKey(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= 31)
        {
            var span = Reserve(1 + utf8.Length); // fixstr code carrying the length + bytes
            span[0] = (byte)(MessagePackCode.MinFixStr | utf8.Length);
            utf8.CopyTo(span[1..]);
        }
        else
        {
            WriteStringUtf8(utf8);
        }
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteBinaryHeader(value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    /// <summary>
    /// Writes a bin header for <paramref name="length"/> bytes and returns the body to fill in place, so that
    /// samples are copied once, straight into the message.
    /// </summary>
    public Span<byte> WriteBinaryHeaderAndGetSpan(int length)
    {
        WriteBinaryHeader(length);
        return Reserve(length);
    }

    public void WriteArrayHeader(int count) =>
        WriteCollectionHeader(count, MessagePackCode.MinFixArray, MessagePackCode.Array16, MessagePackCode.Array32);

    public void WriteMapHeader(int count) =>
        WriteCollectionHeader(count, MessagePackCode.MinFixMap, MessagePackCode.Map16, MessagePackCode.Map32);

    public void WriteExtension(sbyte type, ReadOnlySpan<byte> data)
    {
        byte fixCode = data.Length switch
        {
            1 => MessagePackCode.FixExt1,
            2 => MessagePackCode.FixExt2,
            4 => MessagePackCode.FixExt4,
            8 => MessagePackCode.FixExt8,
            16 => MessagePackCode.FixExt16,
            _ => 0,
        };
        Span<byte> span;
        if (fixCode != 0)
        {
            span = Reserve(2 + data.Length); // code + type + data
            span[0] = fixCode;
            span[1] = unchecked((byte)type);
            data.CopyTo(span[2..]);
            return;
        }
        if (data.Length <= byte.MaxValue)
        {
            span = Reserve(3 + data.Length); // code + uint8 length + type + data
            span[0] = MessagePackCode.Ext8;
            span[1] = (byte)data.Length;
            span = span[2..];
        }
        else if (data.Length <= ushort.MaxValue)
        {
            span = Reserve(4 + data.Length); // code + uint16 length + type + data
            span[0] = MessagePackCode.Ext16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)data.Length);
            span = span[3..];
        }
        else
        {
            span = Reserve(6 + data.Length); // code + uint32 length + type + data
            span[0] = MessagePackCode.Ext32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)data.Length);
            span = span[5..];
        }
        span[0] = unchecked((byte)type);
        data.CopyTo(span[1..]);
    }

    /// <summary>The timestamp extension (type -1) in its smallest form: 32, 64 or 96 bits, as Python's msgpack.</summary>
    public void WriteTimestamp(DateTimeOffset value)
    {
        var (seconds, nanoseconds) = MessagePackTimestamp.ToUnix(value);
        Span<byte> data = stackalloc byte[12];
        if ((ulong)seconds >> 34 == 0)
        {
            ulong data64 = ((ulong)nanoseconds << 34) | (ulong)seconds;
            if ((data64 & 0xFFFF_FFFF_0000_0000) == 0)
            {
                BinaryPrimitives.WriteUInt32BigEndian(data, (uint)data64); // timestamp 32: seconds only
                WriteExtension(MessagePackCode.TimestampType, data[..4]);
            }
            else
            {
                BinaryPrimitives.WriteUInt64BigEndian(data, data64); // timestamp 64: 30-bit ns, 34-bit seconds
                WriteExtension(MessagePackCode.TimestampType, data[..8]);
            }
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(data, nanoseconds); // timestamp 96: uint32 ns, int64 seconds
            BinaryPrimitives.WriteInt64BigEndian(data[4..], seconds);
            WriteExtension(MessagePackCode.TimestampType, data);
        }
    }

    /// <summary>An array or map header: the same three encodings, differing only in their codes.</summary>
    private void WriteCollectionHeader(int count, byte minFixCode, byte code16, byte code32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count <= 15)
        {
            Reserve(1)[0] = (byte)(minFixCode | count);
        }
        else if (count <= ushort.MaxValue)
        {
            var span = Reserve(3); // code + uint16 count
            span[0] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)count);
        }
        else
        {
            var span = Reserve(5); // code + uint32 count
            span[0] = code32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)count);
        }
    }

    private void WriteStringHeader(int byteCount)
    {
        if (byteCount <= 31)
        {
            Reserve(1)[0] = (byte)(MessagePackCode.MinFixStr | byteCount);
        }
        else if (byteCount <= byte.MaxValue)
        {
            var span = Reserve(2); // code + uint8 length
            span[0] = MessagePackCode.Str8;
            span[1] = (byte)byteCount;
        }
        else if (byteCount <= ushort.MaxValue)
        {
            var span = Reserve(3); // code + uint16 length
            span[0] = MessagePackCode.Str16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)byteCount);
        }
        else
        {
            var span = Reserve(5); // code + uint32 length
            span[0] = MessagePackCode.Str32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)byteCount);
        }
    }

    private void WriteBinaryHeader(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length <= byte.MaxValue)
        {
            var span = Reserve(2); // code + uint8 length
            span[0] = MessagePackCode.Bin8;
            span[1] = (byte)length;
        }
        else if (length <= ushort.MaxValue)
        {
            var span = Reserve(3); // code + uint16 length
            span[0] = MessagePackCode.Bin16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
        }
        else
        {
            var span = Reserve(5); // code + uint32 length
            span[0] = MessagePackCode.Bin32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        }
    }

    /// <summary>Claims the next <paramref name="size"/> bytes of the buffer, growing it when needed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if ((uint)size > (uint)(_buffer.Length - _length))
            Grow(size);
        var span = new Span<byte>(_buffer, _length, size);
        _length += size;
        return span;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size)
    {
        long needed = (long)_length + size;
        if (needed > Array.MaxLength)
            ThrowTooLarge(needed);
        long doubled = Math.Min((long)_buffer.Length * 2, Array.MaxLength);
        Array.Resize(ref _buffer, (int)Math.Max(needed, doubled));
    }

    [DoesNotReturn]
    private static void ThrowTooLarge(long needed) =>
        throw new InvalidOperationException($"MessagePack message would grow to {needed} bytes; the maximum is {Array.MaxLength}");
}
