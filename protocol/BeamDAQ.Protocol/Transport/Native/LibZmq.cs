using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BeamDAQ.Protocol.Transport.Native;

/// <summary>
/// The raw libzmq 4.3 C API (Debian's libzmq5), one import per C function under its C name. Nothing here
/// checks a return code: that is <see cref="ZmqChecked"/>'s job. Functions that can fail capture errno
/// through <c>SetLastError</c> so that nothing the runtime does between the call and the check can clobber it.
/// </summary>
/// <remarks>
/// The soname is named directly: Debian ships no <c>libzmq.so</c> symlink without the -dev package, and
/// "libzmq.so.5" is what the dynamic loader resolves through its cache.
/// Socket and context arguments are SafeHandles so that the marshaller holds a reference for the duration of
/// each call: a concurrent Dispose then defers <c>zmq_close</c> until the call has returned.
/// The functions called from <c>ReleaseHandle</c> take the raw pointer, because the handle is already closed.
/// </remarks>
internal static unsafe partial class LibZmq
{
    internal const string Library = "libzmq.so.5";

    // ---- version and errors ----

    [LibraryImport(Library), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)]), SuppressGCTransition]
    internal static partial void zmq_version(out int major, out int minor, out int patch);

    [LibraryImport(Library), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)]), SuppressGCTransition]
    internal static partial byte* zmq_strerror(int errnum);

    // ---- context ----

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nint zmq_ctx_new();

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_ctx_term(nint context);

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_ctx_shutdown(ZmqContextHandle context);

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_ctx_set(ZmqContextHandle context, int option, int optval);

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_ctx_get(ZmqContextHandle context, int option);

    // ---- sockets ----

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nint zmq_socket(ZmqContextHandle context, int type);

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_close(nint socket);

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_setsockopt(ZmqSocketHandle socket, int option, void* optval, nuint optvallen);

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_getsockopt(ZmqSocketHandle socket, int option, void* optval, nuint* optvallen);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_bind(ZmqSocketHandle socket, string endpoint);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_connect(ZmqSocketHandle socket, string endpoint);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_unbind(ZmqSocketHandle socket, string endpoint);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_disconnect(ZmqSocketHandle socket, string endpoint);

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_send(ZmqSocketHandle socket, void* buf, nuint len, int flags);

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_poll(ZmqPollItem* items, int nitems, CLong timeout);

    // ---- messages ----

    [LibraryImport(Library), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)]), SuppressGCTransition]
    internal static partial int zmq_msg_init(ZmqMsg* msg);

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_msg_close(ZmqMsg* msg);

    /// <summary>Wraps caller-owned memory; libzmq calls <paramref name="ffn"/>(data, hint) when it no longer needs it.</summary>
    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_msg_init_data(ZmqMsg* msg, void* data, nuint size, delegate* unmanaged[Cdecl]<void*, void*, void> ffn, void* hint);

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_msg_send(ZmqMsg* msg, ZmqSocketHandle socket, int flags);

    [LibraryImport(Library, SetLastError = true), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int zmq_msg_recv(ZmqMsg* msg, ZmqSocketHandle socket, int flags);

    [LibraryImport(Library), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)]), SuppressGCTransition]
    internal static partial void* zmq_msg_data(ZmqMsg* msg);

    [LibraryImport(Library), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)]), SuppressGCTransition]
    internal static partial nuint zmq_msg_size(ZmqMsg* msg);

    [LibraryImport(Library), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)]), SuppressGCTransition]
    internal static partial int zmq_msg_more(ZmqMsg* msg);
}
