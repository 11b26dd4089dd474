using System.Globalization;
using BeamDAQ.Analysis.Commands;
using BeamDAQ.Analysis.Reports;
using BeamDAQ.Monitor.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.RunFiles;
using Microsoft.Playwright;

namespace BeamDAQ.Monitor.Tests.Browser;

/// <summary>
/// The page in Debian's chromium: it draws a replayed run, λ follows the beam, reset clears, a restart of the
/// monitor is announced and survived, and the offline report opens from a file with no network. Screenshots go
/// to artifacts/screenshots/.
/// </summary>
public sealed class MonitorPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beamdaq-monitor-page-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>A recorded run: run.begin, <paramref name="first"/> bunches at λ₁ then <paramref name="second"/> at λ₂, run.end.</summary>
    private string RecordRun(uint run, int first, double lambda1, int second, double lambda2, bool withSideRecords = false, ulong skipTrigger = 0)
    {
        string path = Path.Combine(_directory, $"run{run}.bdq");
        var events = new SyntheticEvents(seed: (int)run);
        ulong seq = 1;
        using var writer = RunFileWriter.Create(path);
        long t0 = TestPublisher.Now;
        writer.Append(Topics.RunBegin, MapMessage.EncodeToArray(Topics.RunBegin, new RunBeginMessage
        {
            Run = run, TimeNs = t0, Software = "BeamDAQ test",
            Config = new Dictionary<string, object?> { ["digitizer"] = new Dictionary<string, object?> { ["sample_rate"] = 5e7, ["record_length"] = 256L } },
            Applied = new Dictionary<string, object?> { ["range_v"] = 0.2, ["resolution_bits"] = 16L },
            Meta = new Dictionary<string, object?> { ["operator"] = "shift crew", ["beam_energy_mev"] = 2.7, ["exit_aperture_x_mm"] = 3.0, ["comment"] = "page test" },
        }.ToMap(), seq++));
        int total = first + second;
        ulong trigger = 1;
        for (int i = 0; i < total; i++, trigger++)
        {
            if (trigger == skipTrigger) trigger++;
            var e = events.Next(run, trigger, t0 + (long)trigger * 200_000_000L, i < first ? lambda1 : lambda2);
            writer.Append(Topics.Event, EventCodec.EncodeToArray(new DaqEvent(e.Run, e.Trigger, e.TimeNs, e.Flags, e.SampleRate, e.PreSamples, e.Channels) { Sequence = (ulong)i + 1 }));
            if (withSideRecords && i == first)
            {
                writer.Append(Topics.Alarm, MapMessage.EncodeToArray(Topics.Alarm, new AlarmMessage
                { TimeNs = e.TimeNs, Source = "hv", Severity = AlarmSeverity.Warning, Code = "hv-ramp", Message = "HV ramping" }.ToMap(), 1));
                writer.Append(Topics.SlowControl, MapMessage.EncodeToArray(Topics.SlowControl, new SlowControlMessage
                { TimeNs = e.TimeNs, Device = "magnet", Quantity = "current", Value = 41.7, Unit = "A" }.ToMap(), 1));
            }
        }
        writer.Append(Topics.RunEnd, MapMessage.EncodeToArray(Topics.RunEnd, new RunEndMessage
        { Run = run, TimeNs = t0 + (long)trigger * 200_000_000L, Events = (ulong)total, Missed = skipTrigger > 0 ? 1UL : 0, Reason = "stopped" }.ToMap(), seq++));
        return path;
    }

    /// <summary>Republishes records of a run file unchanged, as the daq's replay does (the recorded seq travels with them).</summary>
    private static async Task ReplayAsync(TestPublisher publisher, string path, int skip, int take)
    {
        using var reader = RunFileReader.Open(path);
        int index = 0, sent = 0;
        while (reader.TryRead(out var record) && sent < take)
        {
            if (index++ < skip) continue;
            Assert.True(publisher.Publisher.PublishEncoded(record.Topic, record.Payload.Span));
            if (++sent % 200 == 0) await Task.Delay(10);
        }
    }

    /// <summary>Waits for a condition in the page; on time-out the failure says what the page and the monitor had.</summary>
    private static async Task WaitAsync(IPage page, TestMonitor monitor, string condition, string what, int timeoutMs = 30_000)
    {
        try
        {
            await page.WaitForFunctionAsync(condition, null, new PageWaitForFunctionOptions { Timeout = timeoutMs });
        }
        catch (TimeoutException)
        {
            string pageFits = await page.EvaluateAsync<string>("() => JSON.stringify((window.beamdaq.model.fits || {}).items || []).substring(0, 600)");
            var d = monitor.Host.Diagnostics();
            Assert.Fail($"timed out waiting for {what}; page fits: {pageFits}; monitor: {d.Fits} fits, {d.FitFailures} failed, " +
                        $"{monitor.Host.State.Read(s => s.TotalEvents)} events, spectrum entries {monitor.Host.State.Read(s => s.Spectrum(1)?.Entries)}");
        }
    }

    private static double? PageLambda(string text)
    {
        int end = text.IndexOf(' ');
        string head = end > 0 ? text[..end] : text;
        return double.TryParse(head, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;
    }

    [Fact]
    public async Task WhenARunIsReplayedThenThePageDrawsTheSpectrumLambdaFollowsTheBeamAndResetClearsIt()
    {
        await using var monitor = await TestMonitor.StartAsync();
        string path = RecordRun(12, first: 500, lambda1: 1.5, second: 1000, lambda2: 1.5);
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, message) => errors.Add(message);
        page.Console += (_, message) => { if (message.Type == "error") errors.Add($"{message.Text} ({message.Location})"); };
        await page.GotoAsync(monitor.Url);
        await page.WaitForFunctionAsync("() => window.beamdaq && window.beamdaq.connected === true");

        var publisher = monitor.Publisher;
        publisher.Status(12, 0, deadTime: 0.012, rate: 5.0);
        publisher.SlowControl("magnet", "current", 41.7, "A");
        publisher.SlowControl("beam", "energy", 2.7, "MeV");
        publisher.SlowControl("collimator", "exit_aperture_x", 3.0, "mm");
        publisher.SlowControl("hv", "voltage", 400, "V");
        publisher.SlowControl("ntc", "temperature", 22.4, "degC");
        publisher.Alarm("temperature-rate", "detector temperature rising 0.6 K/min");

        // The first part of the run: run.begin and 500 bunches.
        await ReplayAsync(publisher, path, skip: 0, take: 501);
        await page.WaitForFunctionAsync("() => document.querySelector('#spectrum-ch1 canvas') !== null");
        await WaitAsync(page, monitor, "() => { const m = window.beamdaq.model; return m.fits && m.fits.items.length > 0 && m.fits.items[0].events === 500; }",
            "the fit of the first 500 bunches on the page");
        string firstText = await page.TextContentAsync("#lambda") ?? "";
        double first = PageLambda(firstText) ?? double.NaN;
        Assert.InRange(first, 0.5, 4.0);

        // The rest of the run: later fits of more bunches replace the number on the page.
        await ReplayAsync(publisher, path, skip: 501, take: 1000);
        await WaitAsync(page, monitor, "() => { const f = window.beamdaq.model.fits.items[0]; return f.events > 1000; }",
            "a fit of more than 1000 bunches on the page");
        await page.WaitForFunctionAsync($"() => document.querySelector('#lambda').textContent !== {System.Text.Json.JsonSerializer.Serialize(firstText)}");
        double second = PageLambda(await page.TextContentAsync("#lambda") ?? "") ?? double.NaN;
        Assert.True(double.IsFinite(second) && second != first, $"λ on the page went from {first} to {second}");
        Assert.Equal("12", await page.TextContentAsync("#run-number"));
        Assert.Contains("magnet", await page.TextContentAsync("#slow-control"));
        Assert.Contains("temperature-rate", await page.TextContentAsync("#alarms"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.beamdaq.model.fits.items[0].components.length >= 4"), "the model has its electron components");
        Assert.True(await page.EvaluateAsync<int>("() => document.querySelectorAll('canvas').length") >= 5, "spectrum, trend, waveform and noise charts");
        await page.WaitForFunctionAsync("() => window.beamdaq.model.trend && window.beamdaq.model.trend.points.length >= 3", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        await page.WaitForTimeoutAsync(300);   // let the last frame paint before the picture
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Screenshots, "monitor-live.png"), FullPage = true });

        // The crew's view controls: log axis, a reference overlay from a saved spectrum, the PNG and HTML snapshots.
        await page.CheckAsync("#log-y");
        string saved = Path.Combine(_directory, "saved-spectrum.json");
        await File.WriteAllTextAsync(saved, await new HttpClient().GetStringAsync(monitor.Url + "/api/spectrum/1"));
        await page.SetInputFilesAsync("#reference-file", saved);
        await page.WaitForFunctionAsync("() => document.querySelector('#spectrum-ch1').textContent.includes('reference (saved-spectrum.json)')");
        var png = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#snapshot-png"));
        string pngPath = Path.Combine(RepositoryPaths.Screenshots, "monitor-snapshot.png");
        await png.SaveAsAsync(pngPath);
        Assert.True(new FileInfo(pngPath).Length > 20_000, "the PNG snapshot holds the charts");
        var html = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#snapshot-html"));
        string htmlPath = Path.Combine(_directory, "snapshot.html");
        await html.SaveAsAsync(htmlPath);
        Assert.Contains("window.BEAMDAQ_SNAPSHOT", await File.ReadAllTextAsync(htmlPath));
        Assert.Empty(errors);

        await page.ClickAsync("#reset-all");
        await page.WaitForFunctionAsync("() => { const s = window.beamdaq.model.spectra; return s.length === 1 && s[0].entries === 0 && s[0].collecting; }");
        await page.WaitForFunctionAsync("() => document.querySelector('#spectrum-ch1').textContent.includes('collecting amplitudes')");
        Assert.Equal("—", await page.TextContentAsync("#lambda"));
        Assert.Equal(0, monitor.Host.State.Read(s => s.Spectrum(1)!.Entries));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WhenTheMonitorRestartsThenThePageSaysItLostTheServerAndReconnectsByItself()
    {
        await using var monitor = await TestMonitor.StartAsync();
        var page = await browser.NewPageAsync(1200, 900);
        var errors = new List<string>();
        page.PageError += (_, message) => errors.Add(message);
        await page.GotoAsync(monitor.Url);
        await page.WaitForFunctionAsync("() => window.beamdaq && window.beamdaq.connected === true");
        await monitor.PublishEventsAsync(20, 50, 1.0);
        await page.WaitForFunctionAsync("() => document.querySelector('#events').textContent === '50'");
        Assert.Equal("20", await page.TextContentAsync("#run-number"));

        await monitor.RestartAsync(whileDown: async () =>
        {
            await page.WaitForSelectorAsync("#banner:not(.hidden)", new PageWaitForSelectorOptions { Timeout = 10_000 });
            Assert.Contains("lost", await page.TextContentAsync("#banner"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Screenshots, "monitor-disconnected.png") });
        });

        await page.WaitForFunctionAsync("() => window.beamdaq.connected === true && window.beamdaq.reconnects >= 1", null,
            new PageWaitForFunctionOptions { Timeout = 15_000 });
        Assert.True(await page.IsHiddenAsync("#banner"));
        // The new process starts empty; the page shows its state, not the old one, and keeps updating.
        await monitor.PublishEventsAsync(21, 30, 1.0);
        await page.WaitForFunctionAsync("() => document.querySelector('#events').textContent === '30'");
        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WhenAnalyzeWritesAReportThenItOpensFromTheFileWithoutNetworkAndDraws()
    {
        string run = RecordRun(44, first: 600, lambda1: 1.2, second: 600, lambda2: 1.2, withSideRecords: true, skipTrigger: 300);
        string report = Path.Combine(_directory, "report.html");
        var output = new StringWriter();
        var root = new System.CommandLine.RootCommand("test");
        root.Add(AnalyzeCommand.Create(new CommandConsole(output, new StringWriter()), new HtmlReportWriter(), Serilog.Core.Logger.None));
        int exit = CommandLineHost.Run(root, ["analyze", run, "--report", report]);
        Assert.True(exit == ExitCodes.Success, output.ToString());
        Assert.True(File.Exists(report));

        var page = await browser.NewPageAsync(1300, 1400);
        int networkRequests = 0;
        await page.Context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file://", StringComparison.Ordinal)) await route.ContinueAsync();
            else
            {
                Interlocked.Increment(ref networkRequests);
                await route.AbortAsync();
            }
        });
        await page.Context.SetOfflineAsync(true);
        await page.GotoAsync(new Uri(report).AbsoluteUri);
        await page.WaitForFunctionAsync("() => window.beamdaqReport && window.beamdaqReport.drawn === 1");

        Assert.Equal(0, networkRequests);
        Assert.True(await page.EvaluateAsync<int>("() => document.querySelectorAll('canvas').length") >= 4, "spectrum, trend, noise RMS and PSD");
        string text = await page.TextContentAsync("#report") ?? "";
        Assert.Contains("run 44", text);
        Assert.Contains("hv-ramp", text);
        Assert.Contains("299–301", text);            // the trigger gap, where it is
        Assert.Contains("shift crew", text);         // run.begin metadata
        Assert.True(await page.EvaluateAsync<bool>("() => window.BEAMDAQ_REPORT.files[0].fits[0].components.length >= 3"), "the fit's components are in the report");
        Assert.True(await page.EvaluateAsync<int>("() => window.BEAMDAQ_REPORT.files[0].trend.points.length") >= 4, "λ over the run has points");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Screenshots, "report.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
