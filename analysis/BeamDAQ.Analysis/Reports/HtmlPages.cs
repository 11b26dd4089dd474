using System.Text;
using BeamDAQ.Analysis.Monitor.Web;

namespace BeamDAQ.Analysis.Reports;

/// <summary>
/// Self-contained HTML pages: the style sheets, uPlot, the plotting code and the data are all inlined, so a page
/// opens from a file, offline, years later. The data goes in as JSON, which the serializer escapes so that it
/// can never close the script element it sits in.
/// </summary>
public static class HtmlPages
{
    private const string StylesStart = "<!--BEAMDAQ:STYLES-->", StylesEnd = "<!--/BEAMDAQ:STYLES-->";
    private const string ScriptsStart = "<!--BEAMDAQ:SCRIPTS-->", ScriptsEnd = "<!--/BEAMDAQ:SCRIPTS-->";

    /// <summary>The live page with <paramref name="stateJson"/> (a full update) drawn once, controls hidden.</summary>
    public static string Snapshot(byte[] stateJson)
    {
        string page = WebAssets.Text("index.html");
        page = Replace(page, StylesStart, StylesEnd, Styles());
        page = Replace(page, ScriptsStart, ScriptsEnd,
            Script(WebAssets.Text("uPlot.iife.min.js")) + Script(WebAssets.Text("plots.js")) +
            Script("window.BEAMDAQ_SNAPSHOT = " + Encoding.UTF8.GetString(stateJson) + ";") + Script(WebAssets.Text("app.js")));
        return page.Replace("<title>BeamDAQ monitor</title>", "<title>BeamDAQ monitor snapshot</title>", StringComparison.Ordinal);
    }

    /// <summary>The offline report page around <paramref name="reportJson"/> (see <see cref="ReportDocument"/>).</summary>
    public static string Report(string title, byte[] reportJson)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(System.Net.WebUtility.HtmlEncode(title)).Append("</title>\n");
        html.Append(Styles());
        html.Append("</head>\n<body>\n<header class=\"top\"><div class=\"title\"><span class=\"brand\">BeamDAQ</span> <span>")
            .Append(System.Net.WebUtility.HtmlEncode(title))
            .Append("</span></div><div class=\"connection\" id=\"generated\"></div></header>\n<main id=\"report\"></main>\n");
        html.Append("<footer>uPlot (MIT licence) is included in this file.</footer>\n");
        html.Append(Script(WebAssets.Text("uPlot.iife.min.js")));
        html.Append(Script(WebAssets.Text("plots.js")));
        html.Append(Script("window.BEAMDAQ_REPORT = " + Encoding.UTF8.GetString(reportJson) + ";"));
        html.Append(Script(WebAssets.Text("report.js")));
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string Styles() =>
        "<style>\n" + WebAssets.Text("uPlot.min.css") + "\n</style>\n<style>\n" + WebAssets.Text("monitor.css") + "\n</style>\n";

    private static string Script(string code)
    {
        // Embedded code must not end the element early; none of ours does, and this keeps it so.
        if (code.Contains("</script", StringComparison.OrdinalIgnoreCase))
            code = code.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return "<script>\n" + code + "\n</script>\n";
    }

    private static string Replace(string page, string start, string end, string replacement)
    {
        int a = page.IndexOf(start, StringComparison.Ordinal);
        int b = page.IndexOf(end, StringComparison.Ordinal);
        if (a < 0 || b < a) throw new InvalidOperationException($"index.html lacks the markers {start} … {end}");
        return page[..a] + replacement + page[(b + end.Length)..];
    }
}
