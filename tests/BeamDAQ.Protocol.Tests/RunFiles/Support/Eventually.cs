using System.Diagnostics;

namespace BeamDAQ.Protocol.Tests.RunFiles.Support;

/// <summary>Waits for a condition with a bounded deadline (never a bare sleep).</summary>
public static class Eventually
{
    public static void True(Func<bool> condition, TimeSpan deadline, Func<string> whatFailed)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline) Assert.Fail($"not within {deadline.TotalSeconds} s: {whatFailed()}");
            Thread.Sleep(10);
        }
    }
}
