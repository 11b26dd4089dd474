using System.Buffers;
using System.Runtime.CompilerServices;
using System.IO.MemoryMappedFiles;

namespace BeamDAQ.Protocol.RunFiles;

/// <summary>
/// A file mapped read-only into memory, handed out as <see cref="ReadOnlyMemory{T}"/> windows so records can be
/// slices of the page cache with no copy. A window is at most 1 GiB (Memory is int-indexed; run files can exceed
/// 2 GiB). Using a window after <see cref="Dispose"/> is an <see cref="ObjectDisposedException"/>, not a crash.
/// </summary>
internal sealed unsafe class MappedFileMemory : IDisposable
{
    public const int MaxWindowLength = 1 << 30;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private bool _disposed;

    private readonly int _windowLength;

    /// <param name="windowLength">Largest window; at least the largest record (tests use small ones to cross windows often).</param>
    public MappedFileMemory(FileStream stream, long length, int windowLength = MaxWindowLength)
    {
        Length = length;
        _windowLength = windowLength;
        _file = MemoryMappedFile.CreateFromFile(stream, mapName: null, length, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        try
        {
            _view = _file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _base = pointer + _view.PointerOffset;
        }
        catch
        {
            _view?.Dispose();
            _file.Dispose();
            throw;
        }
    }

    public long Length { get; }

    /// <summary>Memory from <paramref name="offset"/> to the end of the file or of the largest window.</summary>
    public ReadOnlyMemory<byte> WindowAt(long offset)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int length = (int)Math.Min(_windowLength, Length - offset);
        return new Window(this, _base + offset, length).Memory;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private sealed class Window(MappedFileMemory owner, byte* start, int length) : MemoryManager<byte>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override Span<byte> GetSpan()
        {
            ObjectDisposedException.ThrowIf(owner._disposed, owner);
            return new Span<byte>(start, length);
        }

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            ObjectDisposedException.ThrowIf(owner._disposed, owner);
            return new MemoryHandle(start + elementIndex);
        }

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
