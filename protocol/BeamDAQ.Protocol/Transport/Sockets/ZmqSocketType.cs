namespace BeamDAQ.Protocol.Transport;

/// <summary>The ZeroMQ socket patterns BeamDAQ uses (values are libzmq's socket type numbers).</summary>
public enum ZmqSocketType
{
    Pub = 1,
    Sub = 2,
    Req = 3,
    Rep = 4,
    Dealer = 5,
    Router = 6,
    Pull = 7,
    Push = 8,
}
