namespace BeamDAQ.Protocol.Transport.Native;

/// <summary>The outcomes of a send, receive or poll that are expected in normal operation and so are values.</summary>
internal enum ZmqStatus
{
    Ok,
    /// <summary>EAGAIN: nothing to receive, no room to send (non-blocking), or a socket time-out expired.</summary>
    WouldBlock,
    /// <summary>EINTR: a signal interrupted a blocking call; the caller retries with its remaining time.</summary>
    Interrupted,
    /// <summary>ETERM: the context is being terminated; the socket's owner should stop using it.</summary>
    Terminated,
}
