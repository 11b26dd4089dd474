using System.Collections.Concurrent;
using System.Text;

namespace BeamDAQ.Analysis.Monitor.Web;

/// <summary>
/// The page's files (index.html, app.js, plots.js, the style sheet, report.js) and uPlot, embedded in the
/// assembly at build time from Monitor/Page and its npm packages: the monitor and the reports need no network
/// and no files beside the program.
/// </summary>
public static class WebAssets
{
    private const string Prefix = "monitor-web/";
    private static readonly ConcurrentDictionary<string, byte[]?> Cache = new(StringComparer.Ordinal);

    /// <summary>The files the web server hands out, by their URL name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Served = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["plots.js"] = "text/javascript; charset=utf-8",
        ["monitor.css"] = "text/css; charset=utf-8",
        ["uPlot.iife.min.js"] = "text/javascript; charset=utf-8",
        ["uPlot.min.css"] = "text/css; charset=utf-8",
        ["uPlot.LICENSE"] = "text/plain; charset=utf-8",
    };

    public static byte[] Bytes(string name) =>
        Cache.GetOrAdd(name, Load) ?? throw new InvalidOperationException($"the monitor asset '{name}' is not embedded in {typeof(WebAssets).Assembly.GetName().Name}; rebuild after 'npm ci' in analysis/BeamDAQ.Analysis/Monitor/Page");

    public static string Text(string name) => Encoding.UTF8.GetString(Bytes(name));

    public static bool Exists(string name) => Cache.GetOrAdd(name, Load) is not null;

    private static byte[]? Load(string name)
    {
        using var stream = typeof(WebAssets).Assembly.GetManifestResourceStream(Prefix + name);
        if (stream is null) return null;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
