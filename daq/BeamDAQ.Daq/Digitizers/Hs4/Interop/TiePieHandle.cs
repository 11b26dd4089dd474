using System.Runtime.InteropServices;
using BeamDAQ.Daq.Digitizers.Hs4.Native;

namespace BeamDAQ.Daq.Digitizers.Hs4.Interop;

/// <summary>
/// A libtiepie object handle (an opened oscilloscope or a device-list item), closed exactly once with
/// <c>tiepie_hw_object_close</c> — also when the device has gone, which is how libtiepie frees a removed
/// device — even if Dispose is forgotten.
/// </summary>
internal sealed class TiePieHandle : SafeHandle
{
    private readonly ILibTiePie _lib;

    public TiePieHandle(ILibTiePie lib, uint handle) : base(IntPtr.Zero, ownsHandle: true)
    {
        _lib = lib;
        SetHandle((IntPtr)handle);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The tiepie_hw_handle value for calls.</summary>
    public uint Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return (uint)handle;
        }
    }

    protected override bool ReleaseHandle()
    {
        _lib.ObjectClose((uint)handle);
        return true;
    }
}
