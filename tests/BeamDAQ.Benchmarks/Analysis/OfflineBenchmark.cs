using System.Diagnostics;
using System.Globalization;
using System.Text;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Benchmarks.Analysis;

/// <summary>
/// <c>offline</c>: a recorded hour of beam (18,000 bunches at 5 Hz, 4 channels × 10,000 samples, ≈1.4 GB) is
/// written to a temporary run file and analysed offline (CRC check, decode, features, amplitude spectra, fit),
/// timed against the raw read speed of the same file (<c>cat FILE &gt; /dev/null</c>) in the same page-cache state:
/// once with the file cached, once with its pages dropped. The file is deleted afterwards.
/// </summary>
public sealed class OfflineBenchmark : IBenchmarkSuite
{
    private const int Channels = 4;
    private const int Samples = 10_000;
    private const uint Pre = 2000;
    private const double SampleRate = 50e6;
    private const double Lambda = 2.8;

    public string Name => "offline";

    public string Run(bool quick)
    {
        int bunches = quick ? 600 : 18_000;
        string path = Path.Combine(Path.GetTempPath(), $"beamdaq-offline-{Environment.ProcessId}.bdq");
        try
        {
            var written = Stopwatch.StartNew();
            long bytes = WriteRunFile(path, bunches);
            written.Stop();

            var analysis = new RunFileBatch(new OfflineOptions(), SpectrumFitters.Create(null));
            var plan = analysis.Plan(1);

            // Cached: read once to be sure every page is in memory, then time cat and the analysis.
            Cat(path);
            var catWarm = Cat(path);
            var (warm, result) = Analyze(analysis, path);

            // Dropped: evict this file's pages (only this file's) before each of cat and the analysis.
            DropCache(path);
            var catCold = Cat(path);
            DropCache(path);
            var (cold, _) = Analyze(analysis, path);

            return Format(bunches, bytes, written.Elapsed, catWarm, warm, catCold, cold, result, plan, quick);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static long WriteRunFile(string path, int bunches)
    {
        var generator = new BeamWaveforms(seed: 11, lambda: Lambda);
        var message = new MessagePackWriter(Channels * Samples * 2 + 1024);
        byte[] samples = new byte[Channels * Samples * 2];
        using var writer = RunFileWriter.Create(path);
        ulong seq = 0;
        writer.Append(Topics.RunBegin, MapMessage.EncodeToArray(Topics.RunBegin, new Dictionary<string, object?>
        {
            ["run"] = 1L,
            ["t_ns"] = 1_700_000_000_000_000_000L,
            ["config"] = new Dictionary<string, object?>(),
            ["applied"] = new Dictionary<string, object?>(),
            ["software"] = "beamdaq-bench",
            ["meta"] = new Dictionary<string, object?> { ["exit_aperture_x_mm"] = 9.9, ["exit_aperture_y_mm"] = 3.1 },
        }, seq++));
        for (int b = 0; b < bunches; b++)
        {
            var e = generator.Event(1, (ulong)b + 1, samples, 0, Channels, Samples, Pre, SampleRate);
            message.Reset();
            EventCodec.Encode(new DaqEvent(e.Run, e.Trigger, e.TimeNs, e.Flags, e.SampleRate, e.PreSamples, e.Channels) { Sequence = seq++ }, message);
            writer.Append(Topics.Event, message.WrittenSpan);
        }
        writer.Append(Topics.RunEnd, MapMessage.EncodeToArray(Topics.RunEnd, new Dictionary<string, object?>
        {
            ["run"] = 1L, ["t_ns"] = 1_700_003_600_000_000_000L, ["events"] = (long)bunches, ["missed"] = 0L, ["reason"] = "stopped",
        }, seq));
        writer.Flush();
        return writer.BytesWritten;
    }

    private static (TimeSpan Elapsed, RunFileAnalysis Result) Analyze(RunFileBatch analysis, string path)
    {
        var clock = Stopwatch.StartNew();
        var result = analysis.Analyze([path])[0];
        clock.Stop();
        if (result.Failure is not null) throw new InvalidOperationException(result.Failure);
        return (clock.Elapsed, result);
    }

    private static TimeSpan Cat(string path) => Shell($"cat '{path}' > /dev/null");

    /// <summary>Drops the file's pages from the page cache (GNU dd's nocache: posix_fadvise DONTNEED on this file alone).</summary>
    private static void DropCache(string path) => Shell($"dd if='{path}' iflag=nocache count=0 status=none");

    private static TimeSpan Shell(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        clock.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"'{command}' exited with {process.ExitCode}: {error}");
        return clock.Elapsed;
    }

    private static string Format(int bunches, long bytes, TimeSpan written, TimeSpan catWarm, TimeSpan warm, TimeSpan catCold, TimeSpan cold,
        RunFileAnalysis result, (int ParallelFiles, int WorkersPerFile) plan, bool quick)
    {
        static string MBps(long bytes, TimeSpan t) => (bytes / 1e6 / t.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture);
        var fit = result.FittedSpectrum?.Fit;
        string fitText = fit is null ? "no fit" : fit.Converged
            ? FormattableString.Invariant($"λ = {fit.Lambda:F3} ± {fit.LambdaError:F3} (generated {Lambda}), λ0 = {fit.ZeroFractionLambda:F3}")
            : $"fit did not converge: {fit.Problem}";
        var md = new StringBuilder();
        md.AppendLine("## Offline analysis of a recorded hour (`offline`)");
        md.AppendLine();
        md.AppendLine(FormattableString.Invariant($"{bunches:N0} bunches (an hour at 5 Hz{(quick ? "; quick smoke run with far fewer" : "")}) of {Channels} channels × {Samples:N0} int16 samples, λ = {Lambda}, written with `RunFileWriter` to a {bytes / 1e9:F2} GB temporary run file in {written.TotalSeconds:F1} s, ") +
                      FormattableString.Invariant($"then analysed in process with `RunFileBatch` ({plan.WorkersPerFile} decoding thread(s) beside the reading thread, {Environment.ProcessorCount} cores): CRC check, decode, features of all 4 channels, amplitude spectra, fit of channel 1. ") +
                      FormattableString.Invariant($"Result: {result.Counters.Events:N0} events, end state {result.EndState}, {fitText}. ") +
                      "The raw read is `cat FILE > /dev/null` of the same file in the same cache state; \"dropped\" evicts the file's pages first (`dd iflag=nocache count=0`).");
        md.AppendLine();
        md.AppendLine("| Cache state | `cat` | analysis | analysis MB/s | share of raw read speed |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        md.AppendLine(FormattableString.Invariant($"| cached | {catWarm.TotalSeconds:F2} s ({MBps(bytes, catWarm)} MB/s) | {warm.TotalSeconds:F2} s | {MBps(bytes, warm)} | {catWarm / warm:P0} |"));
        md.AppendLine(FormattableString.Invariant($"| dropped | {catCold.TotalSeconds:F2} s ({MBps(bytes, catCold)} MB/s) | {cold.TotalSeconds:F2} s | {MBps(bytes, cold)} | {catCold / cold:P0} |"));
        md.AppendLine();
        if (quick)
        {
            md.AppendLine("Targets (full run only): the hour in at most 2 s, at least 50 % of the raw read speed.");
        }
        else
        {
            md.AppendLine(FormattableString.Invariant($"Targets: the hour in at most 2 s — cached {warm.TotalSeconds:F2} s {(warm.TotalSeconds <= 2 ? "met" : "NOT met")}, dropped {cold.TotalSeconds:F2} s {(cold.TotalSeconds <= 2 ? "met" : "NOT met")}; ") +
                          FormattableString.Invariant($"at least 50 % of the raw read speed — cached {catWarm / warm:P0} {(catWarm / warm >= 0.5 ? "met" : "NOT met")}, dropped {catCold / cold:P0} {(catCold / cold >= 0.5 ? "met" : "NOT met")}."));
        }
        md.AppendLine();
        md.AppendLine("Reproduce: `dotnet build tests/BeamDAQ.Benchmarks -c Release && dotnet tests/BeamDAQ.Benchmarks/bin/Release/net10.0/beamdaq-bench.dll offline`");
        return md.ToString().TrimEnd();
    }
}
