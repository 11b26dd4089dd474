using System.Diagnostics;

namespace BeamDAQ.Monitor.Tests.Support;

/// <summary>Waits for a condition with a bounded deadline (never a bare sleep): fails with what was awaited.</summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, string what, TimeSpan? timeout = null, Action? meanwhile = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) Assert.Fail($"timed out after {limit.TotalSeconds:F0} s waiting for {what}");
            meanwhile?.Invoke();
            await Task.Delay(20);
        }
    }

    public static async Task True(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit) Assert.Fail($"timed out after {limit.TotalSeconds:F0} s waiting for {what}");
            await Task.Delay(50);
        }
    }
}
