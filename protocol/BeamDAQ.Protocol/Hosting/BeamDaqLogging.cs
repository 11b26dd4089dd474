using Serilog;
using Serilog.Events;

namespace BeamDAQ.Protocol.Hosting;

/// <summary>
/// The one logging convention of all three programs: structured events to stderr (stdout is for human and
/// JSON output) and to a daily rolling file per program under the log directory.
/// </summary>
public static class BeamDaqLogging
{
    /// <summary>Directory of the log files: $BEAMDAQ_LOG_DIR, else ./runs/logs.</summary>
    public static string DefaultLogDirectory =>
        Environment.GetEnvironmentVariable("BEAMDAQ_LOG_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.CurrentDirectory, "runs", "logs");

    public static ILogger Create(string program, string? logDirectory = null, LogEventLevel minimum = LogEventLevel.Information)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .Enrich.WithProperty("Program", program)
            .WriteTo.Console(
                outputTemplate: "{Timestamp:HH:mm:ss.fff} [{Level:u3}] {Program}: {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose);

        string directory = logDirectory ?? DefaultLogDirectory;
        try
        {
            Directory.CreateDirectory(directory);
            configuration = configuration.WriteTo.Async(sink => sink.File(
                Path.Combine(directory, program + "-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 31,
                flushToDiskInterval: TimeSpan.FromSeconds(1),
                outputTemplate: "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] {Program}: {Message:lj} {Properties:j}{NewLine}{Exception}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only log directory must not stop acquisition; the console still gets everything.
            Console.Error.WriteLine($"{program}: cannot write logs to '{directory}': {e.Message}; logging to stderr only");
        }

        return configuration.CreateLogger();
    }
}
