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
            var noFit = new RunFileBatch(new OfflineOptions());
            var plan = analysis.Plan(1);
            Analyze(analysis, path);   // JIT warm-up for the in-process figures; the program runs start cold anyway
            Analyze(noFit, path);

            // Cached: read once so every page is in memory, then time each reader.
            Cat(path);
            var cached = new Timings(Cat(path), Program(path), Analyze(analysis, path).Elapsed, Analyze(noFit, path).Elapsed);

            // Dropped: evict this file's pages (only this file's) before each reader.
            DropCache(path);
            var catCold = Cat(path);
            DropCache(path);
            var programCold = Program(path);
            DropCache(path);
            var (inProcessCold, result) = Analyze(analysis, path);
            DropCache(path);
            var noFitCold = Analyze(noFit, path).Elapsed;
            var dropped = new Timings(catCold, programCold, inProcessCold, noFitCold);

            return Format(bunches, bytes, written.Elapsed, cached, dropped, result, plan, quick);
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

    /// <summary>The real program, as an analyst runs it: process start, JIT, reading, features, spectra, fit, table.</summary>
    private static TimeSpan Program(string path)
    {
        string program = Path.Combine(AppContext.BaseDirectory, "beamdaq-analysis.dll");
        string logs = Path.Combine(Path.GetTempPath(), $"beamdaq-bench-logs-{Environment.ProcessId}");
        try
        {
            return Shell($"BEAMDAQ_LOG_DIR='{logs}' dotnet '{program}' analyze '{path}' > /dev/null 2>&1");
        }
        finally
        {
            if (Directory.Exists(logs)) Directory.Delete(logs, recursive: true);
        }
    }

    private sealed record Timings(TimeSpan Cat, TimeSpan Program, TimeSpan InProcess, TimeSpan InProcessNoFit);

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

    private static string Format(int bunches, long bytes, TimeSpan written, Timings cached, Timings dropped,
        RunFileAnalysis result, (int ParallelFiles, int WorkersPerFile) plan, bool quick)
    {
        string MBps(TimeSpan t) => (bytes / 1e6 / t.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture);
        string Row(string state, Timings t) => FormattableString.Invariant(
            $"| {state} | {t.Cat.TotalSeconds:F2} s ({MBps(t.Cat)} MB/s) | {t.Program.TotalSeconds:F2} s ({MBps(t.Program)} MB/s) | {t.Cat / t.Program:P0} | {t.InProcess.TotalSeconds:F2} s ({MBps(t.InProcess)} MB/s) | {t.Cat / t.InProcess:P0} | {t.InProcessNoFit.TotalSeconds:F2} s ({MBps(t.InProcessNoFit)} MB/s) | {t.Cat / t.InProcessNoFit:P0} |");
        string Verdict(bool met) => met ? "met" : "NOT met";
        var fit = result.FittedSpectrum?.Fit;
        string fitText = fit is null ? "no fit" : fit.Converged
            ? FormattableString.Invariant($"λ = {fit.Lambda:F3} ± {fit.LambdaError:F3} (generated {Lambda}), λ0 = {fit.ZeroFractionLambda:F3}")
            : $"fit did not converge: {fit.Problem}";
        var md = new StringBuilder();
        md.AppendLine("## Offline analysis of a recorded hour (`offline`)");
        md.AppendLine();
        md.AppendLine(FormattableString.Invariant($"{bunches:N0} bunches (an hour at 5 Hz{(quick ? "; quick smoke run with far fewer" : "")}) of {Channels} channels × {Samples:N0} int16 samples, λ = {Lambda}, written with `RunFileWriter` to a {bytes / 1e9:F2} GB temporary run file in {written.TotalSeconds:F1} s (deleted afterwards). ") +
                      FormattableString.Invariant($"Analysis: CRC check, decode, features of all 4 channels, amplitude spectra, multiplicity fit of channel 1 (landau response), {plan.WorkersPerFile} decoding thread(s) beside the reading thread on {Environment.ProcessorCount} cores. ") +
                      "*program*: `beamdaq-analysis analyze FILE` as a new process (start-up and JIT included); *in process*: `RunFileBatch.Analyze` with the JIT warm; *no fit*: the same without the fit (reading, CRC, decode, features, spectra). " +
                      FormattableString.Invariant($"Result: {result.Counters.Events:N0} events, end state {result.EndState}, {fitText}. ") +
                      "Raw read: `cat FILE > /dev/null` of the same file in the same cache state; *dropped* evicts the file's pages before each reader (`dd iflag=nocache count=0`, this file only). " +
                      "The disk is a virtual one: after the first read the host may serve it from its own cache.");
        md.AppendLine();
        md.AppendLine("| Cache state | `cat` | program | share of raw read | in process | share of raw read | in process, no fit | share of raw read |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        md.AppendLine(Row("cached", cached));
        md.AppendLine(Row("dropped", dropped));
        md.AppendLine();
        if (quick)
        {
            md.AppendLine("Targets (full run only): the hour in at most 2 s, at least 50 % of the raw read speed.");
        }
        else
        {
            md.AppendLine(FormattableString.Invariant($"Targets: the hour in at most 2 s — program {cached.Program.TotalSeconds:F2} s cached, {dropped.Program.TotalSeconds:F2} s dropped: {Verdict(Math.Max(cached.Program.TotalSeconds, dropped.Program.TotalSeconds) <= 2)}; ") +
                          FormattableString.Invariant($"at least 50 % of the raw read speed — program {cached.Cat / cached.Program:P0} cached ({Verdict(cached.Cat / cached.Program >= 0.5)}), {dropped.Cat / dropped.Program:P0} dropped ({Verdict(dropped.Cat / dropped.Program >= 0.5)}); ") +
                          FormattableString.Invariant($"in process {cached.Cat / cached.InProcess:P0} cached ({Verdict(cached.Cat / cached.InProcess >= 0.5)}), {dropped.Cat / dropped.InProcess:P0} dropped ({Verdict(dropped.Cat / dropped.InProcess >= 0.5)})."));
        }
        md.AppendLine();
        md.AppendLine("Reproduce: `dotnet build tests/BeamDAQ.Benchmarks -c Release && dotnet tests/BeamDAQ.Benchmarks/bin/Release/net10.0/beamdaq-bench.dll offline`");
        return md.ToString().TrimEnd();
    }
}
