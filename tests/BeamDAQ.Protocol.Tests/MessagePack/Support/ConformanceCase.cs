namespace BeamDAQ.Protocol.Tests.MessagePack.Support;

/// <summary>
/// One value of the conformance corpus. <paramref name="Single"/> marks a case whose floats are float 32
/// (Python then packs with <c>use_single_float=True</c>); <paramref name="Encode"/>, when given, produces
/// BeamDAQ's bytes by a typed path (a message or event codec) instead of <c>MessagePackValue.Write</c>.
/// </summary>
public sealed record ConformanceCase(string Name, object? Value, bool Single = false, Func<byte[]>? Encode = null)
{
    public override string ToString() => Name;
}
