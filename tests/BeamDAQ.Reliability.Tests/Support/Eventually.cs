using System.Diagnostics;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>Bounded waits on conditions, never on the clock alone.</summary>
public static class Eventually
{
    /// <summary>Generous: only a broken feature or a frozen machine gets near it.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> and the last state.</summary>
    public static void True(Func<bool> condition, string what, TimeSpan? deadline = null, Func<string>? state = null)
    {
        var limit = deadline ?? Deadline;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
                throw new TimeoutException($"{what}: not reached within {limit.TotalSeconds:F0} s{(state is null ? "" : $" ({state()})")}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value.</summary>
    public static T Value<T>(Func<T?> probe, string what, TimeSpan? deadline = null) where T : class
    {
        T? value = null;
        True(() => (value = probe()) is not null, what, deadline);
        return value!;
    }

    /// <summary>Runs <paramref name="work"/> on its own thread and fails the test if it does not finish in time (a hang).</summary>
    public static T Within<T>(TimeSpan limit, string what, Func<T> work)
    {
        var task = Task.Factory.StartNew(work, TaskCreationOptions.LongRunning);
        if (!task.Wait(limit))
            throw new TimeoutException($"{what} did not finish within {limit.TotalSeconds:F0} s (a hang)");
        return task.Result;
    }
}
