namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// A libzmq call failed unexpectedly (bad endpoint, address in use, wrong socket state, ...). Carries libzmq's
/// errno and its <c>zmq_strerror</c> text; the message names the operation, e.g.
/// <c>bind to 'tcp://127.0.0.1:5556' failed: Address already in use (errno 98)</c>.
/// </summary>
public sealed class ZmqException : Exception
{
    internal ZmqException(string operation, int errorNumber, string errorText)
        : base($"{operation} failed: {errorText} (errno {errorNumber})")
    {
        Operation = operation;
        ErrorNumber = errorNumber;
        ErrorText = errorText;
    }

    /// <summary>What was attempted, e.g. <c>bind to 'tcp://...'</c>.</summary>
    public string Operation { get; }

    /// <summary>libzmq's errno (a Linux errno, or one of libzmq's own codes such as EFSM).</summary>
    public int ErrorNumber { get; }

    /// <summary>The text <c>zmq_strerror</c> gives for <see cref="ErrorNumber"/>.</summary>
    public string ErrorText { get; }
}
