using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BeamDAQ.Analysis.Monitor.Web;
using BeamDAQ.Monitor.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Monitor.Tests.Web;

/// <summary>The real Kestrel host on 127.0.0.1:0: page and assets, state, the SSE stream, the controls and their guards.</summary>
public sealed class MonitorHttpTests
{
    private static HttpClient Client(string url) => new() { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };

    private static HttpRequestMessage Post(string path, string? token = null, bool monitorHeader = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (monitorHeader) request.Headers.Add(MonitorWebHost.ControlHeader, "1");
        if (token is not null) request.Headers.Add(MonitorWebHost.TokenHeader, token);
        return request;
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetString()!;
    }

    [Fact]
    public async Task WhenTheMonitorStartsThenThePageItsScriptsAndUPlotAreServedByTheProgramItself()
    {
        await using var monitor = await TestMonitor.StartAsync();
        using var http = Client(monitor.Url);

        var page = await http.GetAsync("/");
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"uPlot.iife.min.js\"></script>", html);
        Assert.DoesNotMatch(new Regex("(src|href)=\"https?://"), html);
        foreach (string asset in new[] { "/uPlot.iife.min.js", "/uPlot.min.css", "/app.js", "/plots.js", "/monitor.css" })
        {
            var response = await http.GetAsync(asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {response.StatusCode}");
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000, $"{asset} is nearly empty");
        }
        Assert.Contains("uPlot", await http.GetStringAsync("/uPlot.iife.min.js"));
    }

    [Fact]
    public async Task WhenABrowserSubscribesThenTheFirstUpdateIsFullAndLaterOnesCarryTheNewestEvent()
    {
        await using var monitor = await TestMonitor.StartAsync();
        await using var stream = await SseStream.OpenAsync(monitor.Url);
        Assert.Equal("text/event-stream", stream.ContentType);

        var first = await stream.NextAsync();
        Assert.True(first.GetProperty("full").GetBoolean());
        foreach (string part in new[] { "status", "run", "spectra", "fits", "trend", "waveforms", "noise", "slow_control", "alarms", "controls" })
            Assert.True(first.TryGetProperty(part, out _), $"the full update lacks '{part}'");

        await monitor.PublishEventsAsync(2, 150, 1.0);
        // Parts arrive when they change (spectra at most twice a second): keep the latest of each, as the page does.
        JsonElement? spectra = null;
        var later = await stream.UntilAsync(u =>
        {
            if (u.TryGetProperty("spectra", out var s)) spectra = s;
            return u.GetProperty("status").TryGetProperty("newest_trigger", out var t) && t.GetUInt64() == 150
                   && spectra is { } latest && latest.GetArrayLength() == 1 && latest[0].GetProperty("entries").GetInt64() == 150;
        }, "the 150th trigger and its spectrum");
        Assert.False(later.GetProperty("full").GetBoolean());
        double newestMs = later.GetProperty("status").GetProperty("newest_t_ms").GetDouble();
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - newestMs, 0, 30_000);

        var spectrum = spectra!.Value[0];
        Assert.False(spectrum.GetProperty("collecting").GetBoolean());
        Assert.Equal(150, spectrum.GetProperty("counts").EnumerateArray().Sum(c => c.GetInt64()));
    }

    [Fact]
    public async Task WhenNothingHappensThenAnUpdateStillArrivesAboutEverySecond()
    {
        await using var monitor = await TestMonitor.StartAsync();
        await using var stream = await SseStream.OpenAsync(monitor.Url);
        await stream.NextAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 2; i++) await stream.NextAsync(TimeSpan.FromSeconds(2.5));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 4);
    }

    [Fact]
    public async Task WhenAChangeComesWithoutTheMonitorHeaderThenItIsRefusedAndWithItTheSpectraAreReset()
    {
        await using var monitor = await TestMonitor.StartAsync();
        await monitor.PublishEventsAsync(2, 120, 1.0);
        await Eventually.True(() => monitor.Host.State.Read(s => s.TotalEvents) == 120, "120 events");
        using var http = Client(monitor.Url);

        var refused = await http.SendAsync(Post("/api/reset", monitorHeader: false));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(120, monitor.Host.State.Read(s => s.Spectrum(1)!.Entries));

        var badChannel = await http.SendAsync(Post("/api/reset?channel=9"));
        Assert.Equal(HttpStatusCode.BadRequest, badChannel.StatusCode);
        Assert.Contains("1–4", await ErrorOf(badChannel));

        var reset = await http.SendAsync(Post("/api/reset?channel=1"));
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(0, monitor.Host.State.Read(s => s.Spectrum(1)!.Entries));

        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Post("/api/freeze?on=true"))).StatusCode);
        Assert.True(monitor.Host.State.Read(s => s.Frozen));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(Post("/api/freeze?on=maybe"))).StatusCode);

        var runControl = await http.SendAsync(Post("/api/run/start"));
        Assert.Equal(HttpStatusCode.Forbidden, runControl.StatusCode);
        Assert.Contains("read-only", await ErrorOf(runControl));
    }

    [Fact]
    public async Task WhenTheMonitorHasATokenThenChangesNeedItAndRunControlIsOfferedAndForwarded()
    {
        await using var monitor = await TestMonitor.StartAsync(s => s with { Token = "s3cret", Control = "tcp://127.0.0.1:1" });
        using var http = Client(monitor.Url);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Post("/api/reset"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Post("/api/reset", token: "wrong"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Post("/api/reset", token: "s3cret"))).StatusCode);

        using var state = JsonDocument.Parse(await http.GetStringAsync("/api/state"));
        Assert.True(state.RootElement.GetProperty("controls").GetProperty("run_control").GetBoolean());
        Assert.DoesNotContain("s3cret", state.RootElement.GetRawText());

        // Nobody listens on the control endpoint: the monitor says so instead of hanging.
        var start = Post("/api/run/start", token: "s3cret");
        start.Content = new StringContent("{\"comment\":\"test\"}", System.Text.Encoding.UTF8, "application/json");
        var reply = await http.SendAsync(start);
        Assert.Equal(HttpStatusCode.GatewayTimeout, reply.StatusCode);
        Assert.Contains("beamdaq-control serve", await ErrorOf(reply));

        var unknownKey = Post("/api/run/start", token: "s3cret");
        unknownKey.Content = new StringContent("{\"runs\":3}", System.Text.Encoding.UTF8, "application/json");
        var refused = await http.SendAsync(unknownKey);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("'runs'", await ErrorOf(refused));
    }

    [Fact]
    public async Task WhenARunFileIsUploadedAsReferenceThenItsSpectrumComesBackAndASavedSpectrumCanBeDownloaded()
    {
        await using var monitor = await TestMonitor.StartAsync();
        using var http = Client(monitor.Url);
        string path = Path.Combine(Path.GetTempPath(), $"beamdaq-reference-test-{Guid.NewGuid():N}.bdq");
        try
        {
            var events = new SyntheticEvents(seed: 5);
            using (var writer = RunFileWriter.Create(path))
                for (int i = 1; i <= 200; i++)
                    writer.Append(Topics.Event, EventCodec.EncodeToArray(events.Next(4, (ulong)i, TestPublisher.Now, 1.0)));
            var upload = Post("/api/reference?name=run4.bdq");
            upload.Content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
            var response = await http.SendAsync(upload);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reference = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var channel = reference.RootElement.GetProperty("channels")[0];
            Assert.Equal(1, channel.GetProperty("channel").GetInt32());
            Assert.Equal(200, channel.GetProperty("histogram").GetProperty("counts").EnumerateArray().Sum(c => c.GetInt64()));

            var garbage = Post("/api/reference?name=notes.txt");
            garbage.Content = new StringContent("not a run file");
            var refused = await http.SendAsync(garbage);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("notes.txt", await ErrorOf(refused));
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/spectrum/1")).StatusCode);
        await monitor.PublishEventsAsync(2, 120, 1.0);
        await Eventually.True(() => monitor.Host.State.Read(s => s.Spectrum(1)?.Histogram) is not null, "a binned spectrum");
        using var saved = JsonDocument.Parse(await http.GetStringAsync("/api/spectrum/1"));
        Assert.True(saved.RootElement.GetProperty("histogram").GetProperty("bin_count").GetInt32() > 10);
    }

    [Fact]
    public async Task WhenASnapshotIsTakenThenItIsOneSelfContainedPageWithTheState()
    {
        await using var monitor = await TestMonitor.StartAsync();
        await monitor.PublishEventsAsync(8, 120, 1.0);
        await Eventually.True(() => monitor.Host.State.Read(s => s.TotalEvents) == 120, "120 events");
        using var http = Client(monitor.Url);
        string html = await http.GetStringAsync("/api/snapshot.html");
        Assert.Contains("window.BEAMDAQ_SNAPSHOT = {", html);
        Assert.Contains("\"newest_trigger\":120", html);
        Assert.DoesNotMatch(new Regex("<script[^>]+src=|<link[^>]+href=\"(?!data:)"), html);
        Assert.True(html.Length > 60_000, "uPlot and the scripts are inlined");
    }
}
