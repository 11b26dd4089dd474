using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport;

/// <summary>Unexpected libzmq failures surface as <see cref="ZmqException"/> with errno and libzmq's own text.</summary>
public sealed class ZmqExceptionTests : IDisposable
{
    private readonly ZmqContext _context = new() { DefaultLinger = TimeSpan.Zero };

    public void Dispose() => _context.Dispose();

    [Fact]
    public void WhenBindingAnEndpointWithoutPortThenTheExceptionCarriesEinvalAndItsStrerrorText()
    {
        using var socket = _context.CreateSocket(ZmqSocketType.Pub);

        var e = Assert.Throws<ZmqException>(() => socket.Bind("tcp://127.0.0.1"));

        Assert.Equal(22, e.ErrorNumber); // EINVAL
        Assert.Equal("Invalid argument", e.ErrorText);
        Assert.Contains("bind to 'tcp://127.0.0.1'", e.Message);
        Assert.Contains("Invalid argument", e.Message);
    }

    [Fact]
    public void WhenTheTransportIsUnknownThenTheExceptionSaysProtocolNotSupported()
    {
        using var socket = _context.CreateSocket(ZmqSocketType.Sub);

        var e = Assert.Throws<ZmqException>(() => socket.Connect("bogus://127.0.0.1:1"));

        Assert.Equal(93, e.ErrorNumber); // EPROTONOSUPPORT
        Assert.Contains("Protocol not supported", e.Message);
    }

    [Fact]
    public void WhenThePortIsTakenThenTheExceptionSaysAddressAlreadyInUse()
    {
        using var first = _context.CreateSocket(ZmqSocketType.Pub);
        using var second = _context.CreateSocket(ZmqSocketType.Pub);
        first.Bind("tcp://127.0.0.1:*");

        var e = Assert.Throws<ZmqException>(() => second.Bind(first.LastEndpoint));

        Assert.Equal(98, e.ErrorNumber); // EADDRINUSE
        Assert.Contains("Address already in use", e.Message);
        Assert.Contains(first.LastEndpoint, e.Message);
    }

    [Fact]
    public void WhenAReqSocketSendsTwiceWithoutAReplyThenTheStateErrorIsAnException()
    {
        using var req = _context.CreateSocket(ZmqSocketType.Req);
        req.Connect("tcp://127.0.0.1:9");
        req.Send("first"u8);

        var e = Assert.Throws<ZmqException>(() => req.Send("second"u8));

        Assert.Equal(156384712 + 51, e.ErrorNumber); // EFSM
        Assert.Contains("Operation cannot be accomplished in current state", e.Message);
    }

    [Fact]
    public void WhenAnOptionDoesNotApplyToTheSocketThenTheExceptionNamesTheOption()
    {
        using var req = _context.CreateSocket(ZmqSocketType.Req);

        var e = Assert.Throws<ZmqException>(() => req.Subscribe("evt"));

        Assert.Equal(22, e.ErrorNumber);
        Assert.Contains("option 6", e.Operation); // ZMQ_SUBSCRIBE
    }

    [Fact]
    public void WhenTheLibraryLoadsThenItIsLibzmq43()
    {
        var version = ZmqContext.LibraryVersion;
        Assert.Equal(4, version.Major);
        Assert.Equal(3, version.Minor);
    }
}
