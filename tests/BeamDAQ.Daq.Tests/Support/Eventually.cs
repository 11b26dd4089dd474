using System.Diagnostics;

namespace BeamDAQ.Daq.Tests.Support;

/// <summary>Waiting on a condition with a bounded deadline (never a sleep as synchronisation).</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> at the deadline.</summary>
    public static void True(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) Assert.Fail($"not within {limit.TotalSeconds:0.#} s: {what}");
            Thread.Sleep(5); // polling interval of the condition, not a synchronisation
        }
    }
}
