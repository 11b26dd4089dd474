using System.CommandLine;
using System.Globalization;
using BeamDAQ.Analysis.Monitor;
using BeamDAQ.Analysis.Monitor.Web;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Analysis.Commands;

/// <summary>
/// <c>monitor [--connect ADDR]... [--http HOST:PORT] [--publish ADDR|none] [--token-file F] [--control ADDR]
/// [--fit-every S] [--trend-bunches N] [--keep-between-runs] [--fix-response-above LAMBDA|never] [--channel N] [feature and fit options]</c>:
/// the live monitor the shift crew watches. Runs until Ctrl+C or SIGTERM.
/// </summary>
internal static class MonitorCommand
{
    public static Command Create(ILogger? logger = null)
    {
        var support = new OfflineCommandSupport();
        var connect = new Option<string[]>("--connect")
        {
            Description = $"Publisher to subscribe to; repeatable (default: the daq {MonitorSettings.DefaultConnect[0]} and the control node {MonitorSettings.DefaultConnect[1]})",
            HelpName = "ADDR",
            AllowMultipleArgumentsPerToken = false,
        };
        var http = new Option<string>("--http") { Description = $"Serve the monitor page on HOST:PORT (default {MonitorSettings.DefaultHttp}; port 0: any free port)", HelpName = "HOST:PORT", DefaultValueFactory = _ => MonitorSettings.DefaultHttp };
        var publish = new Option<string>("--publish") { Description = $"Publish fit results on this address ('none': do not publish; default {MonitorSettings.DefaultPublish})", HelpName = "ADDR", DefaultValueFactory = _ => MonitorSettings.DefaultPublish };
        var tokenFile = new Option<string?>("--token-file") { Description = "File whose first line is the shared token: enables the page's Start/Stop buttons (each press must give the token); without it the page is read-only for run control", HelpName = "F" };
        var control = new Option<string>("--control") { Description = $"The control node's run-control endpoint the buttons call (default {RunControlProxy.DefaultEndpoint})", HelpName = "ADDR", DefaultValueFactory = _ => RunControlProxy.DefaultEndpoint };
        var fitEvery = new Option<double>("--fit-every") { Description = "Refit each spectrum at most every S seconds when new events arrived (default 5)", HelpName = "S", DefaultValueFactory = _ => 5 };
        var trendBunches = new Option<int>("--trend-bunches") { Description = "Bunches per point of the λ trend (default 500)", HelpName = "N", DefaultValueFactory = _ => 500 };
        var fixAbove = new Option<string>("--fix-response-above")
        {
            Description = $"From this free-response λ on, refit with the single-electron response fixed from the best earlier low-λ run (λ {Fitting.Calibration.ResponseCalibration.MinimumLambda:G2}–{Fitting.Calibration.ResponseCalibration.MaximumLambda:G2}) at the same settings; 'never': keep it free (default 5)",
            HelpName = "LAMBDA|never",
            DefaultValueFactory = _ => "5",
        };
        var keep = new Option<bool>("--keep-between-runs") { Description = "Do not clear spectra, fits and trend when a run begins (the page can change it)" };

        var command = new Command("monitor", "Live monitor: subscribe to the daq and the control node, analyse every event, fit, serve the web page, publish fits");
        command.Add(connect);
        command.Add(http);
        command.Add(publish);
        command.Add(tokenFile);
        command.Add(control);
        command.Add(fitEvery);
        command.Add(trendBunches);
        command.Add(keep);
        command.Add(fixAbove);
        command.Add(support.Channel);
        command.Add(support.Polarity);
        command.Add(support.BaselineWindow);
        command.Add(support.SignalWindow);
        command.Add(support.IntegralWindow);
        support.AddFitOptions(command);

        command.SetAction(parse =>
        {
            double seconds = parse.GetValue(fitEvery);
            if (!(seconds > 0) || !double.IsFinite(seconds))
                throw new UsageException($"--fit-every {seconds.ToString(CultureInfo.InvariantCulture)} must be a positive number of seconds");
            int bunches = parse.GetValue(trendBunches);
            if (bunches < 20) throw new UsageException($"--trend-bunches {bunches} must be at least 20");
            double? fixResponseAbove = ParseFixAbove(parse.GetValue(fixAbove)!);
            string httpEndpoint = parse.GetValue(http)!;
            try
            {
                MonitorWebHost.ParseEndpoint(httpEndpoint);
            }
            catch (Exception e) when (e is ArgumentException or System.Net.Sockets.SocketException)
            {
                throw new UsageException(e.Message);
            }
            string publishAddress = parse.GetValue(publish)!;
            string? token = parse.GetValue(tokenFile) is { } file ? EndpointSecurity.ReadTokenFile(file) : null;
            var fitter = (MultiplicitySpectrumFitter)support.Fitter(parse);
            var features = support.FeatureSettings(parse);
            var settings = new MonitorSettings
            {
                Connect = parse.GetValue(connect) is { Length: > 0 } addresses ? addresses : MonitorSettings.DefaultConnect,
                Http = httpEndpoint,
                Publish = publishAddress.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : publishAddress,
                Token = token,
                Control = parse.GetValue(control),
                FitInterval = TimeSpan.FromSeconds(seconds),
                TrendBunches = bunches,
                ClearAtRunStart = !parse.GetValue(keep),
                FitChannel = parse.GetValue(support.Channel),
                Features = features,
                Fit = fitter.Options,
                FixResponseAboveLambda = fixResponseAbove,
            };
            var log = logger ?? BeamDaqLogging.Create("beamdaq-analysis");
            return Run(settings, log);
        });
        return command;
    }

    private static double? ParseFixAbove(string text)
    {
        if (text.Equals("never", StringComparison.OrdinalIgnoreCase)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double lambda) && lambda > 0 && double.IsFinite(lambda))
            return lambda;
        throw new UsageException($"--fix-response-above {text}: expected a positive λ or 'never'");
    }

    private static int Run(MonitorSettings settings, ILogger log)
    {
        using var stop = new StopSignals();
        MonitorHost host;
        try
        {
            host = MonitorHost.StartAsync(settings, log).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or ZmqException or System.Net.Sockets.SocketException)
        {
            // A port in use, an address that cannot be bound: say which, exit 1.
            log.Error("Monitor could not start: {Message}", e.Message);
            Console.Error.WriteLine($"beamdaq-analysis monitor: {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
        Console.Out.WriteLine($"BeamDAQ monitor: {host.HttpAddress}  (Ctrl+C to stop)");
        try
        {
            stop.Wait();
        }
        finally
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return ExitCodes.Success;
    }
}
