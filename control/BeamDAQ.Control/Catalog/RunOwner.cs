using System.Diagnostics;

namespace BeamDAQ.Control.Catalog;

/// <summary>
/// The control process that allocated a run. A run still 'running' whose owner no longer exists was cut short by
/// a crash; a run whose owner is alive (another control node on a shared catalog, or this very process) is left
/// alone. The process start time tells a dead owner from a new process that happens to reuse its id.
/// </summary>
public sealed record RunOwner(string Host, long ProcessId, DateTimeOffset? ProcessStartUtc)
{
    public static RunOwner CurrentProcess { get; } = ForCurrentProcess();

    public override string ToString() => $"{Host}:{ProcessId}";

    /// <summary>Whether the owner still runs. Only decidable for processes of this host.</summary>
    public RunOwnerStatus Probe()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
            return RunOwnerStatus.Unknown;
        if (ProcessId == Environment.ProcessId)
            return RunOwnerStatus.Alive;
        if (ProcessId is <= 0 or > int.MaxValue)
            return RunOwnerStatus.Gone;
        try
        {
            using var process = Process.GetProcessById((int)ProcessId);
            if (process.HasExited)
                return RunOwnerStatus.Gone;
            if (ProcessStartUtc is { } recorded)
            {
                // Start times come from /proc and jitter by milliseconds between reads; a reused id differs by far more.
                var actual = new DateTimeOffset(process.StartTime.ToUniversalTime());
                if ((actual - recorded).Duration() > TimeSpan.FromSeconds(2))
                    return RunOwnerStatus.Gone;
            }
            return RunOwnerStatus.Alive;
        }
        catch (ArgumentException)
        {
            return RunOwnerStatus.Gone;   // no such process
        }
        catch (InvalidOperationException)
        {
            return RunOwnerStatus.Gone;   // exited between the lookup and the question
        }
    }

    private static RunOwner ForCurrentProcess()
    {
        using var self = Process.GetCurrentProcess();
        return new RunOwner(Environment.MachineName, Environment.ProcessId,
            CatalogTime.Normalize(new DateTimeOffset(self.StartTime.ToUniversalTime())));
    }
}

public enum RunOwnerStatus
{
    Alive,
    Gone,
    /// <summary>The owner runs on another host: the catalog cannot tell, so the run is left alone unless forced.</summary>
    Unknown,
}
