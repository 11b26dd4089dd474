using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace BeamDAQ.Protocol.Transport.Native;

/// <summary>
/// The only place that looks at libzmq return codes. Each wrapper calls one <see cref="LibZmq"/> function and
/// maps -1 to a <see cref="ZmqException"/> carrying errno and <c>zmq_strerror</c>'s text, except EAGAIN, EINTR
/// and ETERM on send/receive/poll, which are normal outcomes and come back as a <see cref="ZmqStatus"/>.
/// </summary>
internal static unsafe class ZmqChecked
{
    private const int LastEndpointCapacity = 1024;

    internal static string ErrorText(int errorNumber)
    {
        byte* text = LibZmq.zmq_strerror(errorNumber);
        return text is null ? $"error {errorNumber}" : Marshal.PtrToStringUTF8((nint)text) ?? $"error {errorNumber}";
    }

    internal static (int Major, int Minor, int Patch) Version()
    {
        LibZmq.zmq_version(out int major, out int minor, out int patch);
        return (major, minor, patch);
    }

    // ---- context ----

    internal static ZmqContextHandle NewContext()
    {
        nint context = LibZmq.zmq_ctx_new();
        if (context == 0) ThrowLastError("zmq_ctx_new");
        return new ZmqContextHandle(context);
    }

    internal static void SetContextOption(ZmqContextHandle context, int option, int value)
    {
        if (LibZmq.zmq_ctx_set(context, option, value) == -1) ThrowLastError($"zmq_ctx_set(option {option}, {value})");
    }

    /// <summary>Makes every blocking call on the context's sockets return ETERM; sockets must still be closed.</summary>
    internal static void ShutdownContext(ZmqContextHandle context)
    {
        if (LibZmq.zmq_ctx_shutdown(context) == -1) ThrowLastError("zmq_ctx_shutdown");
    }

    // ---- sockets ----

    internal static ZmqSocketHandle NewSocket(ZmqContextHandle context, int type)
    {
        bool added = false;
        context.DangerousAddRef(ref added); // released by the socket handle after zmq_close
        nint socket = LibZmq.zmq_socket(context, type);
        if (socket == 0)
        {
            int error = Marshal.GetLastPInvokeError();
            context.DangerousRelease();
            Throw($"zmq_socket(type {type})", error);
        }
        return new ZmqSocketHandle(socket, context);
    }

    internal static void Bind(ZmqSocketHandle socket, string endpoint)
    {
        if (LibZmq.zmq_bind(socket, endpoint) == -1) ThrowLastError($"bind to '{endpoint}'");
    }

    internal static void Connect(ZmqSocketHandle socket, string endpoint)
    {
        if (LibZmq.zmq_connect(socket, endpoint) == -1) ThrowLastError($"connect to '{endpoint}'");
    }

    internal static void Unbind(ZmqSocketHandle socket, string endpoint)
    {
        if (LibZmq.zmq_unbind(socket, endpoint) == -1) ThrowLastError($"unbind from '{endpoint}'");
    }

    internal static void Disconnect(ZmqSocketHandle socket, string endpoint)
    {
        if (LibZmq.zmq_disconnect(socket, endpoint) == -1) ThrowLastError($"disconnect from '{endpoint}'");
    }

    internal static void SetOption(ZmqSocketHandle socket, int option, int value)
    {
        if (LibZmq.zmq_setsockopt(socket, option, &value, sizeof(int)) == -1)
            ThrowLastError($"zmq_setsockopt(option {option}, {value})");
    }

    internal static void SetOption(ZmqSocketHandle socket, int option, ReadOnlySpan<byte> value)
    {
        fixed (byte* bytes = value)
        {
            if (LibZmq.zmq_setsockopt(socket, option, bytes, (nuint)value.Length) == -1)
                ThrowLastError($"zmq_setsockopt(option {option}, {value.Length} bytes)");
        }
    }

    internal static int GetInt32Option(ZmqSocketHandle socket, int option)
    {
        int value = 0;
        nuint length = sizeof(int);
        if (LibZmq.zmq_getsockopt(socket, option, &value, &length) == -1) ThrowLastError($"zmq_getsockopt(option {option})");
        return value;
    }

    /// <summary>A NUL-terminated string option such as ZMQ_LAST_ENDPOINT.</summary>
    internal static string GetStringOption(ZmqSocketHandle socket, int option)
    {
        byte* buffer = stackalloc byte[LastEndpointCapacity];
        nuint length = LastEndpointCapacity;
        if (LibZmq.zmq_getsockopt(socket, option, buffer, &length) == -1) ThrowLastError($"zmq_getsockopt(option {option})");
        int chars = (int)length;
        if (chars > 0 && buffer[chars - 1] == 0) chars--;
        return System.Text.Encoding.UTF8.GetString(buffer, chars);
    }

    // ---- traffic: expected failures are values ----

    internal static ZmqStatus Send(ZmqSocketHandle socket, ReadOnlySpan<byte> frame, int flags)
    {
        fixed (byte* bytes = frame)
        {
            if (LibZmq.zmq_send(socket, bytes, (nuint)frame.Length, flags) != -1) return ZmqStatus.Ok;
        }
        return StatusOrThrow("zmq_send", Marshal.GetLastPInvokeError());
    }

    /// <summary>
    /// Sends <paramref name="buffer"/> without copying: the message references the native memory and holds a
    /// reference on the buffer until libzmq's free callback runs. A message that was not sent is closed here,
    /// which runs the callback at once.
    /// </summary>
    internal static ZmqStatus SendShared(ZmqSocketHandle socket, ZmqSharedBufferHandle buffer, int flags)
    {
        ZmqMsg msg;
        buffer.AddMessageReference();
        if (LibZmq.zmq_msg_init_data(&msg, buffer.Pointer, (nuint)buffer.Length, &ZmqSharedBufferHandle.FreeCallback, buffer.Hint) == -1)
        {
            int initError = Marshal.GetLastPInvokeError();
            buffer.ReleaseMessageReference(); // the message never existed, so the callback will not run
            Throw("zmq_msg_init_data", initError);
        }
        if (LibZmq.zmq_msg_send(&msg, socket, flags) != -1) return ZmqStatus.Ok; // libzmq owns the message now
        int error = Marshal.GetLastPInvokeError();
        LibZmq.zmq_msg_close(&msg);
        return StatusOrThrow("zmq_msg_send", error);
    }

    /// <summary>Receives one frame into <paramref name="message"/>, whose previous content libzmq releases.</summary>
    internal static ZmqStatus Receive(ZmqMsg* message, ZmqSocketHandle socket, int flags)
    {
        if (LibZmq.zmq_msg_recv(message, socket, flags) != -1) return ZmqStatus.Ok;
        return StatusOrThrow("zmq_msg_recv", Marshal.GetLastPInvokeError());
    }

    /// <param name="timeoutMilliseconds">-1 waits forever, 0 returns at once.</param>
    internal static ZmqStatus Poll(ZmqPollItem* items, int count, long timeoutMilliseconds, out int ready)
    {
        ready = LibZmq.zmq_poll(items, count, new CLong((nint)timeoutMilliseconds));
        if (ready != -1) return ZmqStatus.Ok;
        ready = 0;
        return StatusOrThrow("zmq_poll", Marshal.GetLastPInvokeError());
    }

    internal static bool MessageHasMore(ZmqMsg* message) => LibZmq.zmq_msg_more(message) != 0;

    internal static ReadOnlySpan<byte> MessageData(ZmqMsg* message)
        => new(LibZmq.zmq_msg_data(message), checked((int)LibZmq.zmq_msg_size(message)));

    internal static void InitMessage(ZmqMsg* message) => LibZmq.zmq_msg_init(message);

    internal static void CloseMessage(ZmqMsg* message)
    {
        if (LibZmq.zmq_msg_close(message) == -1) ThrowLastError("zmq_msg_close");
    }

    // ---- error mapping ----

    private static ZmqStatus StatusOrThrow(string operation, int error) => error switch
    {
        ZmqConstants.EAGAIN => ZmqStatus.WouldBlock,
        ZmqConstants.EINTR => ZmqStatus.Interrupted,
        ZmqConstants.ETERM => ZmqStatus.Terminated,
        _ => Throw<ZmqStatus>(operation, error),
    };

    [DoesNotReturn]
    private static void ThrowLastError(string operation) => Throw(operation, Marshal.GetLastPInvokeError());

    [DoesNotReturn]
    private static void Throw(string operation, int error) => throw new ZmqException(operation, error, ErrorText(error));

    [DoesNotReturn]
    private static T Throw<T>(string operation, int error) => throw new ZmqException(operation, error, ErrorText(error));
}
