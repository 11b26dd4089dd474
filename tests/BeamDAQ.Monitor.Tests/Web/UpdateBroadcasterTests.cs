using System.Text.Json;
using BeamDAQ.Analysis.Monitor;
using BeamDAQ.Analysis.Monitor.Live;
using BeamDAQ.Analysis.Monitor.Web;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Monitor.Tests.Support;

namespace BeamDAQ.Monitor.Tests.Web;

/// <summary>The push loop: a client that stops reading loses updates (counted) and never holds the others up.</summary>
public sealed class UpdateBroadcasterTests
{
    [Fact]
    public async Task WhenOneClientStopsReadingThenTheOthersKeepReceivingAndItGetsAFullUpdateWhenItCatchesUp()
    {
        var settings = new MonitorSettings { Fit = ((MultiplicitySpectrumFitter)SpectrumFitters.Create(null)).Options, PushInterval = TimeSpan.FromMilliseconds(10) };
        var state = new LiveState(settings);
        using var broadcaster = new UpdateBroadcaster(state, () => MonitorDiagnostics.Empty, runControl: false);
        broadcaster.Start();
        var stalled = broadcaster.Register();
        var reading = broadcaster.Register();

        int received = 0;
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            await foreach (var _ in reading.Reader.ReadAllAsync(stop.Token)) Interlocked.Increment(ref received);
        });
        for (int i = 0; i < 60; i++)
        {
            state.SetClearAtRunStart(i % 2 == 0);   // a change every few ms
            await Task.Delay(5);
        }
        await Eventually.True(() => broadcaster.MissedByClients > 0, "the stalled client to miss an update");
        Assert.True(stalled.NeedsFull);
        await Eventually.True(() => Volatile.Read(ref received) > 20, "the reading client to keep receiving");

        // Drain the stalled client: the next frame it gets is a full one.
        while (stalled.Reader.TryRead(out _)) { }
        state.SetFrozen(true);
        byte[] frame = await stalled.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        string text = System.Text.Encoding.UTF8.GetString(frame);
        Assert.StartsWith("event: update\ndata: ", text);
        using var update = JsonDocument.Parse(text["event: update\ndata: ".Length..].TrimEnd('\n'));
        Assert.True(update.RootElement.GetProperty("full").GetBoolean());
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader);
    }
}
