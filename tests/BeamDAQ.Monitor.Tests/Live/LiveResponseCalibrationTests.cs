using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Monitor.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Monitor.Tests.Live;

/// <summary>
/// The live monitor across runs: a low-λ run's final fit becomes the response calibration, and a later high-λ
/// run at the same settings is fitted with that response fixed — published to the catalog with the run it came from.
/// </summary>
public sealed class LiveResponseCalibrationTests
{
    private static Dictionary<string, object?> Meta(double hv) => new() { ["operator"] = "test", ["beam_energy_mev"] = 2.7, ["hv_set_v"] = hv };

    private static async Task<FitMessage> RunAsync(TestMonitor monitor, EventSubscriber fits, uint run, double lambda, int events, double hv)
    {
        monitor.Publisher.RunBegin(run, Meta(hv));
        await monitor.PublishEventsAsync(run, events, lambda);
        await Eventually.True(() => monitor.Host.State.Read(s => s.Spectrum(1)?.Entries) == events, $"run {run}'s {events} events in the spectrum", TimeSpan.FromSeconds(30));
        monitor.Publisher.RunEnd(run, (ulong)events);
        FitMessage? final = null;
        await Eventually.True(() =>
        {
            while (fits.TryReceive(TimeSpan.FromMilliseconds(20), out var message))
            {
                var fit = FitMessage.FromMap(MapMessage.Decode(message.Payload.Span));
                if (fit.Run == run && fit.Extras.GetValueOrDefault("final") is true) final = fit;
            }
            return final is not null;
        }, $"run {run}'s final fit on the fit topic", TimeSpan.FromSeconds(60));
        await Eventually.True(() => monitor.Host.State.Read(s => s.Fit(1) is { Final: true } f && f.Run == run), $"run {run}'s final fit on the page");
        return final!;
    }

    [Fact]
    public async Task WhenAHighLambdaRunFollowsALowLambdaRunAtTheSameSettingsThenItsFinalFitFixesThatRunsResponse()
    {
        await using var monitor = await TestMonitor.StartAsync();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var fits = new EventSubscriber(context, monitor.Host.PublishEndpoint!, Topics.Fit);

        var calibration = await RunAsync(monitor, fits, 41, lambda: 1.2, events: 1500, hv: 500);
        Assert.False(calibration.Extras.ContainsKey("response_from_run"));
        var calibrationFit = monitor.Host.State.Read(s => s.Fit(1)!.Result);
        Assert.Equal(41UL, monitor.Host.State.Calibrations!.For(1, monitor.Host.State.Read(s => Analysis.Monitor.Fits.CalibrationKey.Of(s.Run, 1)))!.Run);

        var beam = await RunAsync(monitor, fits, 42, lambda: 8.7, events: 800, hv: 500);
        Assert.Equal(41L, beam.Extras["response_from_run"]);
        Assert.True(beam.Extras["lambda_error_calibration"] is double part && part > 0, "the calibration's share of Δλ is published");
        var shown = monitor.Host.State.Read(s => s.Fit(1)!);
        Assert.Equal(41UL, shown.ResponseFrom!.Run);
        Assert.Equal(ParameterSource.Calibration, shown.Result.Gain.Source);
        Assert.Equal(calibrationFit.Gain.Value, shown.Result.Gain.Value);
        Assert.Contains(shown.Result.Notes, n => n.Contains("response fixed from run 41"));
        Assert.Equal(shown.Result.Lambda, beam.Lambda);
        Assert.True(monitor.Host.Fits.CalibratedFits > 0);
    }

    [Fact]
    public async Task WhenTheHighLambdaRunHasAnotherHvOrFixingIsOffThenItsResponseStaysFree()
    {
        await using var monitor = await TestMonitor.StartAsync();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var fits = new EventSubscriber(context, monitor.Host.PublishEndpoint!, Topics.Fit);
        await RunAsync(monitor, fits, 51, lambda: 1.2, events: 1000, hv: 500);
        var other = await RunAsync(monitor, fits, 52, lambda: 8.7, events: 600, hv: 300);
        Assert.False(other.Extras.ContainsKey("response_from_run"));
        Assert.Equal(ParameterSource.Fitted, monitor.Host.State.Read(s => s.Fit(1)!.Result.Gain.Source));

        await using var off = await TestMonitor.StartAsync(s => s with { FixResponseAboveLambda = null });
        using var offFits = new EventSubscriber(context, off.Host.PublishEndpoint!, Topics.Fit);
        await RunAsync(off, offFits, 61, lambda: 1.2, events: 1000, hv: 500);
        var free = await RunAsync(off, offFits, 62, lambda: 8.7, events: 600, hv: 500);
        Assert.False(free.Extras.ContainsKey("response_from_run"));
        Assert.Null(off.Host.State.Calibrations);
    }
}
