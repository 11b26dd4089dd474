using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Analysis.Tests.Support;

/// <summary>
/// Writes run files the way the acquisition does (RunFileWriter, EventCodec, MapMessage): a run.begin with
/// metadata, events whose pulse heights follow a Poisson number of electrons, a run.end; with hooks to damage
/// them. Each file lives in a temporary directory removed on Dispose.
/// </summary>
internal sealed class TestRunFiles : IDisposable
{
    public const double SingleElectronVolts = 0.012;
    public const double NoiseVolts = 0.0005;
    public const double Lsb = 0.4 / 32768;   // ±0.2 V at 16 bit

    public TestRunFiles() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "beamdaq-analysis-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    /// <summary>What was written: offsets of every record, so a test can point at one.</summary>
    public sealed record Written(string Path, List<(string Topic, long Offset)> Records, int Events, List<int> Electrons);

    public Written Write(string name, int events, double lambda, uint run = 42, double aperture = 9.9, int seed = 1,
        int samples = 400, uint pre = 100, int channels = 1, bool runEnd = true, Func<int, bool>? skipTrigger = null,
        Action<RunFileWriter, int>? beforeEvent = null, ulong missed = 0, double noiseVolts = NoiseVolts)
    {
        string path = Path.Combine(Root, name);
        var random = new Random(seed);
        var records = new List<(string, long)>();
        var electrons = new List<int>();
        ulong seq = 0;
        using (var writer = RunFileWriter.Create(path))
        {
            void Append(string topic, byte[] payload)
            {
                records.Add((topic, writer.BytesWritten));
                writer.Append(topic, payload);
            }

            Append(Topics.RunBegin, MapMessage.EncodeToArray(Topics.RunBegin, new Dictionary<string, object?>
            {
                ["run"] = (long)run,
                ["t_ns"] = 1_700_000_000_000_000_000L,
                ["config"] = new Dictionary<string, object?> { ["digitizer"] = new Dictionary<string, object?> { ["sample_rate"] = 5e7 } },
                ["applied"] = new Dictionary<string, object?>(),
                ["software"] = "BeamDAQ test",
                ["meta"] = new Dictionary<string, object?> { ["exit_aperture_x_mm"] = aperture, ["exit_aperture_y_mm"] = 3.1, ["operator"] = "test" },
            }, seq++));

            int written = 0;
            for (int trigger = 1; written < events; trigger++)
            {
                if (skipTrigger?.Invoke(trigger) == true) continue;
                beforeEvent?.Invoke(writer, written);
                int n = Poisson(random, lambda);
                electrons.Add(n);
                var channelRecords = new ChannelRecord[channels];
                for (int c = 0; c < channels; c++)
                {
                    double height = 0;
                    for (int k = 0; k < n; k++) height += SingleElectronVolts * (1 + 0.1 * Gaussian(random));
                    channelRecords[c] = Waveforms.Channel(c + 1, Pulse(random, samples, (int)pre, height, noiseVolts), 0.2, 16, Lsb, 0);
                }
                var e = new DaqEvent(run, (ulong)trigger, 1_700_000_000_000_000_000L + trigger * 200_000_000L, EventFlags.None, 5e7, pre, channelRecords)
                    { Sequence = seq++ };
                Append(Topics.Event, EventCodec.EncodeToArray(e));
                written++;
            }

            if (runEnd)
                Append(Topics.RunEnd, MapMessage.EncodeToArray(Topics.RunEnd, new Dictionary<string, object?>
                {
                    ["run"] = (long)run, ["t_ns"] = 1_700_000_100_000_000_000L, ["events"] = (long)events, ["missed"] = (long)missed, ["reason"] = "stopped",
                }, seq++));
        }
        return new Written(path, records, events, electrons);
    }

    /// <summary>Flips one byte of the payload of the record at <paramref name="offset"/>, so its CRC no longer matches.</summary>
    public static void DamagePayload(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset + RunFileFormat.RecordHeaderLength + 3 + 20;   // header, "evt", some way into the map
        int b = file.ReadByte();
        file.Position--;
        file.WriteByte((byte)(b ^ 0x5A));
    }

    public static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.SetLength(length);
    }

    private static short[] Pulse(Random random, int samples, int pre, double height, double noiseVolts)
    {
        var codes = new short[samples];
        for (int i = 0; i < samples; i++)
        {
            double v = 0.003 + noiseVolts * Gaussian(random);
            int t = i - pre - 5;
            if (t >= 0) v += height * Math.Exp(-t / 30.0) * (1 - Math.Exp(-t / 2.0)) / 0.8;
            codes[i] = (short)Math.Clamp(Math.Round(v / Lsb), short.MinValue, short.MaxValue);
        }
        return codes;
    }

    private static int Poisson(Random random, double lambda)
    {
        double limit = Math.Exp(-lambda), p = 1;
        int k = 0;
        while ((p *= random.NextDouble()) > limit) k++;
        return k;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
