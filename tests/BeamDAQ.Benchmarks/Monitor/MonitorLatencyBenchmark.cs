using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;
using Microsoft.Playwright;

namespace BeamDAQ.Benchmarks.Monitor;

/// <summary>
/// <c>monitor-latency</c>: the live monitor as the shift crew uses it, every piece a real process — the daq
/// (<c>beamdaq-daq run --sim</c>, simulated HS4 in real time), the monitor (<c>beamdaq-analysis monitor</c>) and
/// Debian's chromium showing the page. Latency is from the trigger (the event's <c>t_ns</c>, stamped by the daq)
/// to the arrival in the page of the Server-Sent Event that carries it, as the page itself records it, at 5 Hz
/// and 100 Hz; its peer is a pyzmq subscriber on the same daq in the same run (the transport floor: what the daq
/// and ZeroMQ alone take). Then the daq's dead time at 100 Hz with 0 and with 10 browser pages open on the
/// monitor: the monitor must never slow acquisition. Targets: median &lt; 200 ms, p99 &lt; 500 ms.
/// </summary>
public sealed class MonitorLatencyBenchmark : IBenchmarkSuite
{
    private const string Chromium = "/usr/bin/chromium";
    private const double TargetMedianMs = 200, TargetP99Ms = 500;

    public string Name => "monitor-latency";

    public string Run(bool quick) => RunAsync(quick).GetAwaiter().GetResult();

    private static async Task<string> RunAsync(bool quick)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"beamdaq-bench-monitor-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        int daqPort = FreePort(), httpPort = FreePort();
        string daq = $"tcp://127.0.0.1:{daqPort}";
        string url = $"http://127.0.0.1:{httpPort}/";
        using var monitor = Program("beamdaq-analysis", directory, "monitor", "--connect", daq, "--http", $"127.0.0.1:{httpPort}", "--publish", "none");
        try
        {
            await WaitHealthyAsync(url, monitor.Process);
            Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                Headless = true,
            });

            var latency = new List<LatencyRow>();
            foreach (int rate in new[] { 5, 100 })
            {
                int events = rate == 5 ? (quick ? 40 : 300) : (quick ? 800 : 6000);
                latency.Add(await MeasureLatencyAsync(browser, url, daq, directory, rate, events));
            }

            var deadTime = new List<DeadTimeRow>();
            int rounds = quick ? 1 : 2;
            for (int round = 0; round < rounds; round++)
                foreach (var clients in new[] { Clients.None, Clients.Browsers, Clients.StreamReaders })
                    deadTime.Add(await MeasureDeadTimeAsync(browser, url, daq, directory, clients, events: quick ? 800 : 3000));
            return Format(latency, deadTime, quick);
        }
        finally
        {
            monitor.Stop();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<LatencyRow> MeasureLatencyAsync(IBrowser browser, string url, string daq, string directory, int rate, int events)
    {
        var page = await OpenPageAsync(browser, url);
        await page.EvaluateAsync("() => { window.beamdaq.latencies = []; }");
        using var peer = StartPeer(daq);
        using (var run = Program("beamdaq-daq", directory, "run", "--sim", "--rate", rate.ToString(CultureInfo.InvariantCulture),
                   "--events", events.ToString(CultureInfo.InvariantCulture), "--publish", daq, "--out", directory))
            await run.WaitAsync(TimeSpan.FromSeconds(events / (double)rate + 60));
        // The last event reaches the page within a push interval; wait for it, boundedly.
        await page.WaitForFunctionAsync($"() => window.beamdaq.model.status && window.beamdaq.model.status.newest_trigger >= {events}",
            null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        var latencies = await page.EvaluateAsync<double[]>("() => window.beamdaq.latencies");
        var peerResult = await peer.ResultAsync();
        await page.Context.CloseAsync();
        Array.Sort(latencies);
        return new LatencyRow(rate, events, latencies.Length, Quantile(latencies, 0.5), Quantile(latencies, 0.99), latencies.Length > 0 ? latencies[^1] : double.NaN,
            peerResult.Peer, peerResult.Events, peerResult.MedianMs, peerResult.P99Ms);
    }

    /// <summary>What is connected to the monitor while the daq runs.</summary>
    private enum Clients
    {
        None,
        /// <summary>Ten chromium pages: the monitor's pushes plus the browsers' rendering, all on this machine.</summary>
        Browsers,
        /// <summary>Ten plain SSE readers: the monitor's own cost of ten clients, without any rendering.</summary>
        StreamReaders,
    }

    private const int ClientCount = 10;

    private static async Task<DeadTimeRow> MeasureDeadTimeAsync(IBrowser browser, string url, string daq, string directory, Clients clients, int events)
    {
        var pages = new List<IPage>();
        if (clients == Clients.Browsers)
            for (int i = 0; i < ClientCount; i++) pages.Add(await OpenPageAsync(browser, url));
        using var readers = new StreamReaders(url, clients == Clients.StreamReaders ? ClientCount : 0);
        await readers.WaitConnectedAsync();
        var before = await MonitorCountersAsync(url);
        var updatesBefore = new List<double>();
        foreach (var page in pages) updatesBefore.Add(await page.EvaluateAsync<double>("() => window.beamdaq.updates"));

        using var status = new StatusListener(daq);
        var clock = Stopwatch.StartNew();
        using (var run = Program("beamdaq-daq", directory, "run", "--sim", "--rate", "100",
                   "--events", events.ToString(CultureInfo.InvariantCulture), "--publish", daq, "--out", directory))
            await run.WaitAsync(TimeSpan.FromSeconds(events / 100.0 + 60));
        double seconds = clock.Elapsed.TotalSeconds;
        var last = status.Last ?? throw new InvalidOperationException("no daq.status arrived from the daq during the run");

        double updatesPerSecond = 0;
        for (int i = 0; i < pages.Count; i++)
            updatesPerSecond += (await pages[i].EvaluateAsync<double>("() => window.beamdaq.updates") - updatesBefore[i]) / seconds;
        if (clients == Clients.StreamReaders) updatesPerSecond = readers.Updates / seconds;
        foreach (var page in pages) await page.Context.CloseAsync();
        var after = await MonitorCountersAsync(url);
        double? p99 = last.Extras.TryGetValue("dead_time_p99_s", out var v) && v is double d ? d : null;
        string label = clients switch
        {
            Clients.None => "none",
            Clients.Browsers => $"{ClientCount} chromium pages",
            _ => $"{ClientCount} SSE readers (no rendering)",
        };
        return new DeadTimeRow(label, clients != Clients.None, last.Events, last.DeadTimeFraction, p99, last.Missed,
            after.Missed - before.Missed, after.Dropped - before.Dropped, clients == Clients.None ? 0 : updatesPerSecond / ClientCount);
    }

    private static async Task<IPage> OpenPageAsync(IBrowser browser, string url)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1200 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        await page.WaitForFunctionAsync("() => window.beamdaq && window.beamdaq.connected === true", null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        return page;
    }

    private static async Task<(long Missed, long Dropped)> MonitorCountersAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var state = JsonDocument.Parse(await http.GetStringAsync(url + "api/state"));
        var s = state.RootElement.GetProperty("status");
        return (s.GetProperty("missed_by_monitor").GetInt64(), s.GetProperty("dropped_by_monitor").GetInt64());
    }

    private static async Task WaitHealthyAsync(string url, Process monitor)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (monitor.HasExited) throw new InvalidOperationException($"the monitor exited with code {monitor.ExitCode}");
            try
            {
                if ((await http.GetAsync(url + "api/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the monitor did not answer on {url} within 30 s");
    }

    private static double Quantile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>One of the BeamDAQ programs built beside this one, with its logs kept out of the way.</summary>
    private static ChildProgram Program(string name, string directory, params string[] arguments)
    {
        string apphost = Path.Combine(AppContext.BaseDirectory, name);
        var start = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, name + ".dll") } };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = directory;
        start.Environment["BEAMDAQ_LOG_DIR"] = Path.Combine(directory, "logs");
        return new ChildProgram(name, Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}"));
    }

    private static PeerProcess StartPeer(string daq)
    {
        var process = PythonPeer.Start("monitor_latency_peer.py", [daq, "2"]);
        // The peer says "ready" once its socket is connected; the daq starts after that.
        string? line = process.StandardError.ReadLine();
        if (line != "ready") throw new InvalidOperationException($"the latency peer did not start: {line} {process.StandardError.ReadToEnd()}");
        return new PeerProcess(process);
    }

    private static string Format(List<LatencyRow> latency, List<DeadTimeRow> deadTime, bool quick)
    {
        var md = new StringBuilder();
        string F(double v, string format = "F1") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "—";
        md.AppendLine("## Live monitor: trigger-to-browser latency and dead time" + (quick ? " (quick run)" : ""));
        md.AppendLine();
        md.AppendLine("Real processes: `beamdaq-daq run --sim` (simulated HS4 in real time, default configuration), `beamdaq-analysis monitor`, " +
                      "and Debian's chromium showing the page (Playwright). Latency = time the Server-Sent Event reached the page − the event's `t_ns` " +
                      "(stamped by the daq at the trigger), for every update that brought a newer event. The peer is a pyzmq subscriber on the same daq " +
                      "in the same run: the part of the latency the daq and ZeroMQ alone take.");
        md.AppendLine();
        md.AppendLine("| trigger rate | events | page updates | median (ms) | p99 (ms) | max (ms) | pyzmq SUB median (ms) | pyzmq SUB p99 (ms) | target |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in latency)
        {
            bool met = r.MedianMs < TargetMedianMs && r.P99Ms < TargetP99Ms;
            md.AppendLine($"| {r.Rate} Hz | {r.Events:N0} | {r.Samples:N0} | {F(r.MedianMs)} | {F(r.P99Ms)} | {F(r.MaxMs)} | {F(r.PeerMedianMs, "F2")} | {F(r.PeerP99Ms, "F2")} | " +
                          $"median < {TargetMedianMs:F0}, p99 < {TargetP99Ms:F0}: {(met ? "met" : "**not met**")} |");
        }
        md.AppendLine();
        md.AppendLine($"Peer: {latency.FirstOrDefault()?.Peer ?? "—"}. At 100 Hz the monitor coalesces events into at most one update per 50 ms, so the page gets ~20 updates/s; each update's latency is that of the newest event it carries.");
        md.AppendLine();
        md.AppendLine("Dead time of the daq at 100 Hz with the monitor subscribed, with no client, with 10 chromium pages and with 10 plain SSE " +
                      "readers on the monitor (runs in turn; everything on this one 2-core machine):");
        md.AppendLine();
        md.AppendLine("| clients of the monitor | events | dead-time fraction | per-event dead time p99 (µs) | missed triggers (daq) | monitor missed (seq gaps) | monitor dropped | updates/s per client |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in deadTime)
            md.AppendLine($"| {r.Clients} | {r.Events:N0} | {F(100 * r.DeadTimeFraction, "F3")} % | {(r.P99Seconds is { } p ? F(p * 1e6, "F0") : "—")} | {r.MissedTriggers:N0} | " +
                          $"{r.MonitorMissed:N0} | {r.MonitorDropped:N0} | {(r.Connected ? F(r.UpdatesPerSecondPerPage) : "—")} |");
        double Mean(string clients) => deadTime.Where(r => r.Clients == clients).Select(r => r.DeadTimeFraction).DefaultIfEmpty(double.NaN).Average();
        md.AppendLine();
        md.AppendLine($"Mean dead-time fraction: {F(100 * Mean("none"), "F3")} % with no client, {F(100 * Mean($"{ClientCount} chromium pages"), "F3")} % with " +
                      $"{ClientCount} chromium pages, {F(100 * Mean($"{ClientCount} SSE readers (no rendering)"), "F3")} % with {ClientCount} SSE readers. Target: unchanged " +
                      "(the daq publishes without waiting; a slow monitor loses events, counted above, the daq does not). Missed triggers of the " +
                      "real-time simulator count bunches that came while the daq process was not scheduled: they measure CPU contention on this " +
                      "machine (the browsers render here too), not waiting on the monitor.");
        md.AppendLine();
        md.AppendLine("Reproduce: `dotnet build tests/BeamDAQ.Benchmarks -c Release && dotnet tests/BeamDAQ.Benchmarks/bin/Release/net10.0/beamdaq-bench.dll monitor-latency`");
        return md.ToString();
    }

    private sealed record LatencyRow(int Rate, int Events, int Samples, double MedianMs, double P99Ms, double MaxMs, string Peer, int PeerEvents, double PeerMedianMs, double PeerP99Ms);

    private sealed record DeadTimeRow(string Clients, bool Connected, ulong Events, double DeadTimeFraction, double? P99Seconds, ulong MissedTriggers, long MonitorMissed, long MonitorDropped, double UpdatesPerSecondPerPage);

    /// <summary>A child program whose output is drained (a full pipe would stall it) and kept for error messages.</summary>
    private sealed class ChildProgram : IDisposable
    {
        private readonly string _name;
        private readonly StringBuilder _output = new();

        public ChildProgram(string name, Process process)
        {
            _name = name;
            Process = process;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public async Task WaitAsync(TimeSpan limit)
        {
            using var cancel = new CancellationTokenSource(limit);
            try
            {
                await Process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                Stop();
                throw new TimeoutException($"{_name} did not finish within {limit.TotalSeconds:F0} s: {Tail()}");
            }
            if (Process.ExitCode != 0) throw new InvalidOperationException($"{_name} exited with code {Process.ExitCode}: {Tail()}");
        }

        /// <summary>SIGTERM-like stop: the programs end cleanly on it; killed if they do not within 5 s.</summary>
        public void Stop()
        {
            if (Process.HasExited) return;
            try
            {
                Process.Kill(entireProcessTree: false);
                Process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
        }

        private string Tail()
        {
            lock (_output) return _output.Length > 2000 ? _output.ToString(_output.Length - 2000, 2000) : _output.ToString();
        }

        public void Dispose()
        {
            Stop();
            Process.Dispose();
        }
    }

    private sealed class PeerProcess(Process process) : IDisposable
    {
        public async Task<(string Peer, int Events, double MedianMs, double P99Ms)> ResultAsync()
        {
            string output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException($"the latency peer failed: {await process.StandardError.ReadToEndAsync()}");
            using var json = JsonDocument.Parse(output);
            var r = json.RootElement;
            double Number(string key) => r.GetProperty(key).ValueKind == JsonValueKind.Number ? r.GetProperty(key).GetDouble() : double.NaN;
            return (r.GetProperty("peer").GetString() ?? "pyzmq", r.GetProperty("events").GetInt32(), Number("median_ms"), Number("p99_ms"));
        }

        public void Dispose()
        {
            if (!process.HasExited) process.Kill();
            process.Dispose();
        }
    }

    /// <summary>Plain Server-Sent Event clients that read and count the monitor's updates and draw nothing.</summary>
    private sealed class StreamReaders : IDisposable
    {
        private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _tasks = [];
        private long _updates;
        private int _connected;

        public StreamReaders(string url, int count)
        {
            Count = count;
            for (int i = 0; i < count; i++) _tasks.Add(ReadAsync(url));
        }

        public int Count { get; }
        public long Updates => Interlocked.Read(ref _updates);

        private async Task ReadAsync(string url)
        {
            try
            {
                using var response = await _http.GetAsync(url + "api/events", HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                Interlocked.Increment(ref _connected);
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                    if (line.StartsWith("data: ", StringComparison.Ordinal)) Interlocked.Increment(ref _updates);
            }
            catch (OperationCanceledException)
            {
            }
        }

        public async Task WaitConnectedAsync()
        {
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref _connected) < Count)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException("the SSE readers did not connect");
                await Task.Delay(20);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            try { Task.WaitAll(_tasks.ToArray(), TimeSpan.FromSeconds(5)); }
            catch (AggregateException) { }
            _http.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>The daq's heartbeats during a run, from a SUB of this process.</summary>
    private sealed class StatusListener : IDisposable
    {
        private readonly ZmqContext _context = new() { DefaultLinger = TimeSpan.Zero };
        private readonly EventSubscriber _subscriber;
        private readonly Thread _thread;
        private volatile bool _stop;
        private DaqStatusMessage? _last;

        public StatusListener(string address)
        {
            _subscriber = new EventSubscriber(_context, address, Topics.DaqStatus);
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    if (!_subscriber.TryReceive(TimeSpan.FromMilliseconds(100), out var message)) continue;
                    var status = DaqStatusMessage.FromMap(MapMessage.Decode(message.Payload.Span));
                    if (status.State == "Running") Volatile.Write(ref _last, status);
                }
            }) { IsBackground = true, Name = "bench daq.status" };
            _thread.Start();
        }

        public DaqStatusMessage? Last => Volatile.Read(ref _last);

        public void Dispose()
        {
            _stop = true;
            _thread.Join(2000);
            _subscriber.Dispose();
            _context.Dispose();
        }
    }
}
