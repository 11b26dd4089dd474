using BeamDAQ.Protocol.Hosting;
using System.Net;
using System.Text.Json;
using BeamDAQ.Analysis.Monitor.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ILogger = Serilog.ILogger;

namespace BeamDAQ.Analysis.Monitor.Web;

/// <summary>
/// The web side of the monitor: Kestrel from the shared framework with minimal APIs. Serves the page and its
/// embedded assets, the state as JSON, the update stream (Server-Sent Events), the crew's controls, a saved
/// spectrum, a reference spectrum from an uploaded run file, an HTML snapshot, and — only with a token — the
/// run-control buttons' endpoint.
/// </summary>
/// <remarks>
/// Every request that changes something must carry the header <c>X-BeamDAQ-Monitor</c> (a custom header cannot be
/// sent cross-site without a CORS preflight, which this server never grants, so another web page open in the
/// crew's browser cannot reset the spectra), and, when a token is configured, <c>X-BeamDAQ-Token</c>.
/// </remarks>
public sealed class MonitorWebHost : IAsyncDisposable
{
    public const string ControlHeader = "X-BeamDAQ-Monitor";
    public const string TokenHeader = "X-BeamDAQ-Token";

    private readonly WebApplication _app;
    private readonly LiveState _state;
    private readonly UpdateBroadcaster _broadcaster;
    private readonly RunControlProxy? _runControl;
    private readonly ReferenceSpectra _references;
    private readonly string? _token;
    private readonly string? _readOnlyReason;
    private readonly ILogger? _log;

    public MonitorWebHost(string http, LiveState state, UpdateBroadcaster broadcaster, RunControlProxy? runControl, string? token, ILogger? log)
    {
        _state = state;
        _broadcaster = broadcaster;
        _runControl = runControl;
        _token = token;
        _log = log;
        _references = new ReferenceSpectra(state.Settings.Features);

        var (address, port) = ParseEndpoint(http);
        // Reachable from other hosts without a shared secret: anyone on the network could reset the crew's spectra.
        _readOnlyReason = token is null && address is not null && !IPAddress.IsLoopback(address)
            ? $"this monitor serves {http}, reachable from other hosts, without a token: it is read-only; start it with --token-file F to allow changes"
            : null;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "beamdaq-analysis",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        if (log is not null) builder.Logging.AddProvider(new SerilogBridge(log));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.WebHost.UseKestrel(kestrel =>
        {
            if (address is null) kestrel.ListenLocalhost(port);
            else kestrel.Listen(address, port);
            kestrel.Limits.MaxRequestBodySize = 64 << 20;
        });
        _app = builder.Build();
        Map(_app);
    }

    /// <summary>The bound base address, e.g. <c>http://127.0.0.1:8080</c> (port 0 resolved); valid after <see cref="StartAsync"/>.</summary>
    public string Address { get; private set; } = "";

    public async Task StartAsync(CancellationToken cancellation = default)
    {
        await _app.StartAsync(cancellation).ConfigureAwait(false);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        Address = addresses?.FirstOrDefault() ?? "";
    }

    public Task StopAsync(CancellationToken cancellation = default) => _app.StopAsync(cancellation);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    /// <summary>HOST:PORT: an IP address, <c>localhost</c> (both loopbacks; null here) or <c>*</c> (all interfaces).</summary>
    public static (IPAddress? Address, int Port) ParseEndpoint(string http)
    {
        int colon = http.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(http.AsSpan(colon + 1), out int port) || port is < 0 or > 65535)
            throw new ArgumentException($"--http '{http}' is not HOST:PORT (e.g. 127.0.0.1:8080; port 0 picks a free one)");
        string host = http[..colon].Trim('[', ']');
        if (host == "*") return (IPAddress.Any, port);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            // Kestrel's ListenLocalhost cannot pick a free port; take IPv4 loopback then.
            return port == 0 ? (IPAddress.Loopback, 0) : (null, port);
        }
        if (IPAddress.TryParse(host, out var ip)) return (ip, port);
        var resolved = Dns.GetHostAddresses(host);
        if (resolved.Length == 0) throw new ArgumentException($"--http '{http}': host '{host}' does not resolve");
        return (resolved[0], port);
    }

    private void Map(WebApplication app)
    {
        foreach (var (name, contentType) in WebAssets.Served)
        {
            string path = name == "index.html" ? "/" : "/" + name;
            app.MapGet(path, () => Results.Bytes(WebAssets.Bytes(name), contentType));
            if (name == "index.html") app.MapGet("/index.html", () => Results.Bytes(WebAssets.Bytes(name), contentType));
        }
        app.Use(async (context, next) =>
        {
            // The page and the API change with every build and every event: never from a cache.
            context.Response.Headers.CacheControl = "no-cache, no-store";
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            await next(context).ConfigureAwait(false);
        });

        app.MapGet("/api/health", () => Results.Json(new { ok = true, software = Protocol.Hosting.SoftwareVersion.Current }, MonitorJson.Options));
        app.MapGet("/api/state", () => Results.Bytes(MonitorJson.SerializeToUtf8(_broadcaster.BuildFull()), "application/json"));
        app.MapGet("/api/events", StreamAsync);
        app.MapGet("/api/spectrum/{channel:int}", (int channel) => SavedSpectrum(channel));
        app.MapGet("/api/snapshot.html", () =>
        {
            string html = Reports.HtmlPages.Snapshot(MonitorJson.SerializeToUtf8(_broadcaster.BuildFull()));
            return Results.File(System.Text.Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8",
                $"beamdaq-monitor-{DateTime.UtcNow:yyyyMMdd-HHmmss}.html");
        });

        app.MapPost("/api/reset", (HttpContext context) => Guarded(context, () =>
        {
            int? channel = null;
            if (context.Request.Query.TryGetValue("channel", out var text) && text.Count > 0 && !string.IsNullOrEmpty(text[0]))
            {
                if (!int.TryParse(text[0], out int id) || id is < 1 or > 4)
                    return Problem(400, $"channel '{text[0]}' is not allowed; use 1–4, or no channel to reset everything");
                channel = id;
            }
            _state.Reset(channel);
            _log?.Information("Monitor reset: {What}", channel is { } c ? $"channel {c}" : "all spectra, fits, trend, waveforms and noise");
            return Results.Json(new { reset = channel is { } ch ? $"channel {ch}" : "all" }, MonitorJson.Options);
        }));
        app.MapPost("/api/freeze", (HttpContext context) => Guarded(context, () =>
        {
            if (!TryBool(context, "on", out bool on, out var problem)) return problem!;
            _state.SetFrozen(on);
            return Results.Json(new { frozen = on }, MonitorJson.Options);
        }));
        app.MapPost("/api/clear-at-run-start", (HttpContext context) => Guarded(context, () =>
        {
            if (!TryBool(context, "on", out bool on, out var problem)) return problem!;
            _state.SetClearAtRunStart(on);
            return Results.Json(new { clear_at_run_start = on }, MonitorJson.Options);
        }));
        app.MapPost("/api/reference", (Delegate)ReferenceAsync);
        app.MapPost("/api/run/{command}", (Delegate)RunCommandAsync);
    }

    private async Task StreamAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var client = _broadcaster.Register();
        try
        {
            await response.Body.WriteAsync(SseClient.Preamble, linked.Token).ConfigureAwait(false);
            await response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
            await foreach (var frame in client.Reader.ReadAllAsync(linked.Token).ConfigureAwait(false))
            {
                await response.Body.WriteAsync(frame, linked.Token).ConfigureAwait(false);
                await response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away or the monitor stops: the browser reconnects by itself.
        }
        catch (IOException)
        {
        }
        finally
        {
            _broadcaster.Unregister(client);
        }
    }

    private IResult SavedSpectrum(int channel)
    {
        if (channel is < 1 or > 4) return Problem(400, $"channel {channel} is not allowed; use 1–4");
        var saved = _state.Read(s => s.Spectrum(channel) is { Histogram: { } h } spectrum
            ? new SavedSpectrumDocument(channel, s.Run?.Run ?? s.NewestRun, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), spectrum.Entries, h.ToDto())
            : null);
        if (saved is null) return Problem(404, $"channel {channel} has no spectrum yet");
        return Results.File(MonitorJson.SerializeToUtf8(saved), "application/json", $"spectrum-run{saved.Run}-ch{channel}.json");
    }

    private async Task<IResult> ReferenceAsync(HttpContext context)
    {
        var denied = Check(context);
        if (denied is not null) return denied;
        // A run file can be large: this endpoint takes up to 4 GB, streamed to a temporary file.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = 4L << 30;
        string temporary = Path.Combine(Path.GetTempPath(), $"beamdaq-reference-{Guid.NewGuid():N}.bdq");
        try
        {
            await using (var file = File.Create(temporary))
                await context.Request.Body.CopyToAsync(file, context.RequestAborted).ConfigureAwait(false);
            string name = context.Request.Query.TryGetValue("name", out var n) && n.Count > 0 ? n[0]! : "uploaded run file";
            var reference = await Task.Run(() => _references.FromRunFile(temporary, name), context.RequestAborted).ConfigureAwait(false);
            return reference.Error is { } error ? Problem(422, error) : Results.Bytes(MonitorJson.SerializeToUtf8(reference), "application/json");
        }
        finally
        {
            try { File.Delete(temporary); } catch (IOException) { }
        }
    }

    private async Task<IResult> RunCommandAsync(HttpContext context, string command)
    {
        if (_runControl is null)
            return Problem(403, "run control is not enabled on this monitor (it is read-only); start it with --token-file to offer Start and Stop");
        var denied = Check(context);
        if (denied is not null) return denied;
        if (!RunControlProxy.Commands.TryGetValue(command, out var allowed))
            return Problem(404, $"unknown run-control command '{command}'; allowed: {string.Join(", ", RunControlProxy.Commands.Keys)}");
        var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (context.Request.ContentLength is > 0 || context.Request.Headers.ContentType.Count > 0)
        {
            try
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                foreach (var property in body.RootElement.EnumerateObject())
                {
                    if (!allowed.Contains(property.Name))
                        return Problem(400, $"{command}: key '{property.Name}' is not allowed; allowed: {string.Join(", ", allowed)}");
                    keys[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                }
            }
            catch (JsonException e)
            {
                return Problem(400, $"{command}: the body is not a JSON object: {e.Message}");
            }
        }
        var proxy = _runControl;
        var (reply, failure) = await Task.Run(() =>
        {
            var map = proxy.Send(command, keys, out string? why);
            return (map, why);
        }).ConfigureAwait(false);
        if (reply is null) return Problem(504, failure ?? "no reply from the control node");
        _log?.Information("Run control {Command} from the web monitor: ok = {Ok}", command, reply.GetValueOrDefault("ok"));
        return Results.Bytes(MonitorJson.SerializeToUtf8(reply), "application/json");
    }

    private IResult Guarded(HttpContext context, Func<IResult> action) => Check(context) ?? action();

    /// <summary>Null when the request may change something; otherwise the refusal.</summary>
    private IResult? Check(HttpContext context)
    {
        if (_readOnlyReason is not null)
            return Problem(403, _readOnlyReason);
        if (!context.Request.Headers.ContainsKey(ControlHeader))
            return Problem(403, $"requests that change the monitor need the header {ControlHeader} (the page sends it)");
        if (_token is not null)
        {
            string? presented = context.Request.Headers[TokenHeader].FirstOrDefault();
            if (!EndpointSecurity.TokenMatches(presented, _token)) return Problem(401, $"this monitor has a token: send it in the {TokenHeader} header");
        }
        return null;
    }

    private static bool TryBool(HttpContext context, string key, out bool value, out IResult? problem)
    {
        problem = null;
        value = false;
        string? text = context.Request.Query.TryGetValue(key, out var v) ? v.FirstOrDefault() : null;
        if (text is "true" or "1" or "on") value = true;
        else if (text is "false" or "0" or "off") value = false;
        else
        {
            problem = Problem(400, $"'{key}' = '{text ?? ""}' is not allowed; use {key}=true or {key}=false");
            return false;
        }
        return true;
    }

    private static IResult Problem(int status, string message) =>
        Results.Json(new { error = message }, MonitorJson.Options, statusCode: status);

    /// <summary>ASP.NET Core's warnings and errors into the program's Serilog log.</summary>
    private sealed class SerilogBridge(ILogger log) : ILoggerProvider
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Bridge(log, categoryName);

        public void Dispose() { }

        private sealed class Bridge(ILogger log, string category) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel)) return;
                var level = logLevel >= LogLevel.Error ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Warning;
                log.Write(level, exception, "{Category}: {Message}", category, formatter(state, exception));
            }
        }
    }
}

/// <summary>A spectrum saved from the monitor, to be loaded later as a reference overlay.</summary>
public sealed record SavedSpectrumDocument(int Channel, ulong Run, double SavedMs, long Entries, Histograms.Histogram1DDto Histogram);
