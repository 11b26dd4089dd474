using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BeamDAQ.Protocol.Transport.Native;

/// <summary>
/// Native memory that libzmq may hold on to after a zero-copy send. Every in-flight message holds a reference
/// (DangerousAddRef before the send, DangerousRelease in libzmq's free callback), so the memory is freed only
/// when the owner has disposed it AND libzmq has let go of the last message, whichever comes last.
/// </summary>
internal sealed unsafe class ZmqSharedBufferHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private GCHandle _self;
    private int _inFlight;

    private ZmqSharedBufferHandle() : base(ownsHandle: true)
    {
    }

    internal static ZmqSharedBufferHandle Allocate(int length)
    {
        var result = new ZmqSharedBufferHandle { Length = length };
        result.SetHandle((nint)NativeMemory.AlignedAlloc((nuint)length, 64));
        // The free callback only gets a void*; this handle leads it back to us. Freed in ReleaseHandle.
        result._self = GCHandle.Alloc(result);
        return result;
    }

    internal int Length { get; private init; }

    internal byte* Pointer => (byte*)handle;

    /// <summary>Messages libzmq still holds.</summary>
    internal int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The <c>hint</c> for <c>zmq_msg_init_data</c>.</summary>
    internal void* Hint => (void*)GCHandle.ToIntPtr(_self);

    /// <summary>Takes the reference an in-flight message holds; the free callback gives it back.</summary>
    internal void AddMessageReference()
    {
        bool added = false;
        DangerousAddRef(ref added);
        Interlocked.Increment(ref _inFlight);
    }

    internal void ReleaseMessageReference()
    {
        Interlocked.Decrement(ref _inFlight);
        DangerousRelease();
    }

    /// <summary>libzmq's <c>zmq_free_fn</c>; runs on whichever libzmq thread drops the message last.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    internal static void FreeCallback(void* data, void* hint)
    {
        var owner = (ZmqSharedBufferHandle)GCHandle.FromIntPtr((nint)hint).Target!;
        owner.ReleaseMessageReference();
    }

    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        _self.Free();
        return true;
    }
}
