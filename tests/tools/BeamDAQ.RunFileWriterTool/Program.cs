using System.Diagnostics;
using System.Globalization;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.RunFileWriterTool;

// BeamDAQ.RunFileWriterTool write FILE [--rate HZ|max] [--payload BYTES] [--records N] [--flush-ms MS]
//   Appends TestRecords at a steady rate and prints "flushed N" each time more records have reached the OS.
// BeamDAQ.RunFileWriterTool read FILE [--repeat N]
//   Reads every record (CRC-checked) and prints records, bytes, seconds and MB/s, then the end state; with
//   --repeat, again in the same process (the first pass includes JIT compilation).
const string Usage = "usage: BeamDAQ.RunFileWriterTool write FILE [--rate HZ|max] [--payload BYTES] [--records N] [--flush-ms MS]\n" +
                     "       BeamDAQ.RunFileWriterTool read FILE [--repeat N]";
try
{
    if (args.Length < 2) throw new UsageException(Usage);
    return args[0] switch
    {
        "write" => Write(args[1], Options(args.AsSpan(2))),
        "read" => Read(args[1], (int)Number(Options(args.AsSpan(2)), "repeat", 1, 1, 100)),
        _ => throw new UsageException($"unknown mode '{args[0]}'\n{Usage}"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    return ExitCodes.BadUsage;
}
catch (IOException e)
{
    Console.Error.WriteLine(e.Message);
    return ExitCodes.RuntimeFailure;
}

static Dictionary<string, string> Options(ReadOnlySpan<string> args)
{
    var options = new Dictionary<string, string>();
    for (int i = 0; i < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            throw new UsageException($"expected --option VALUE, got '{args[i]}'\n{Usage}");
        options[args[i][2..]] = args[i + 1];
    }
    foreach (var key in options.Keys)
        if (key is not ("rate" or "payload" or "records" or "flush-ms" or "repeat"))
            throw new UsageException($"unknown option --{key}\n{Usage}");
    return options;
}

static long Number(Dictionary<string, string> options, string key, long fallback, long min, long max)
{
    if (!options.TryGetValue(key, out var text)) return fallback;
    if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
        throw new UsageException($"--{key} {text}: expected an integer {min}–{max}");
    return value;
}

static int Write(string path, Dictionary<string, string> options)
{
    double rate = options.TryGetValue("rate", out var rateText) && rateText != "max"
        ? double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) && r > 0 ? r : throw new UsageException($"--rate {rateText}: expected a positive number or 'max'")
        : double.PositiveInfinity;
    int payloadLength = (int)Number(options, "payload", 1024, sizeof(long), RunFileFormat.MaxPayloadLength);
    long records = Number(options, "records", long.MaxValue, 1, long.MaxValue);
    long flushMs = Number(options, "flush-ms", 1000, 1, 1000);

    var payload = new byte[payloadLength];
    using var writer = RunFileWriter.Create(path, new RunFileWriterOptions { FlushInterval = TimeSpan.FromMilliseconds(flushMs) });
    var clock = Stopwatch.StartNew();
    long reported = 0;
    for (long i = 0; i < records; i++)
    {
        if (!double.IsPositiveInfinity(rate))
        {
            // Steady rate: wait for this record's slot, reporting flushes done by the idle timer meanwhile.
            var due = TimeSpan.FromSeconds(i / rate);
            // The time left is read once: a second read can fall past the slot and make the sleep negative.
            while (due - clock.Elapsed is { Ticks: > 0 } left)
            {
                reported = Report(writer, reported);
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(5, left.TotalMilliseconds + 0.5)));
            }
        }
        TestRecords.Fill(payload, i);
        writer.Append(TestRecords.Topic, payload);
        reported = Report(writer, reported);
    }
    writer.Dispose();
    Report(writer, reported);
    return ExitCodes.Success;
}

static long Report(RunFileWriter writer, long reported)
{
    long flushed = writer.RecordsFlushed;
    if (flushed > reported) Console.Out.WriteLine($"flushed {flushed}");
    return Math.Max(flushed, reported);
}

static int Read(string path, int repeat)
{
    int exitCode = ExitCodes.Success;
    for (int i = 0; i < repeat; i++) exitCode = ReadOnce(path);
    return exitCode;
}

static int ReadOnce(string path)
{
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    using var reader = RunFileReader.Open(path);
    long payloadBytes = 0;
    while (reader.TryRead(out var record)) payloadBytes += record.Payload.Length;
    double seconds = clock.Elapsed.TotalSeconds;
    double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{reader.RecordsRead} records, {reader.Length} bytes ({payloadBytes} payload) in {seconds:F3} s (CPU {cpuSeconds:F3} s) = {reader.Length / seconds / 1e6:F0} MB/s; CRC-32C by {Crc32C.Implementation}"));
    Console.Out.WriteLine($"{reader.EndState}: {reader.EndDescription}");
    return reader.EndState == RunFileEndState.CleanEnd ? ExitCodes.Success : ExitCodes.RuntimeFailure;
}
