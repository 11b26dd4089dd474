using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BeamDAQ.Analysis.Features;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Benchmarks.Analysis;

/// <summary>
/// <c>features</c>: per-event pulse features (baseline, RMS, amplitude, integral, peak time, over-range) of
/// 4 channels × 2,500 samples on one core, BeamDAQ's vectorised extractor against the same features computed by
/// numpy over batches of events, on the very same codes, in the same run.
/// </summary>
public sealed class FeaturesBenchmark : IBenchmarkSuite
{
    private const int Channels = 4;
    private const int Samples = 2500;
    private const uint Pre = 500;
    private const double SampleRate = 50e6;

    public string Name => "features";

    public string Run(bool quick)
    {
        int events = quick ? 500 : 4000;
        double seconds = quick ? 0.2 : 2.0;
        int rounds = quick ? 1 : 5;

        var generator = new BeamWaveforms(seed: 7, lambda: 2.0);
        byte[] buffer = new byte[events * Channels * Samples * 2];
        var daqEvents = new DaqEvent[events];
        for (int e = 0; e < events; e++)
            daqEvents[e] = generator.Event(1, (ulong)e + 1, buffer, e * Channels * Samples * 2, Channels, Samples, Pre, SampleRate);

        var extractor = new FeatureExtractor(FeatureSettings.Default);
        var features = new EventFeatures();
        var checksums = Checksums(extractor, features, daqEvents);

        void Pass()
        {
            foreach (var e in daqEvents) extractor.Extract(e, features);
        }
        Pass();   // warm-up: tiering and PGO settle before the timed rounds
        var rates = new List<double>();
        long allocated = 0, extracted = 0;
        for (int r = 0; r < rounds; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long done = 0;
            var clock = Stopwatch.StartNew();
            do
            {
                Pass();
                done += events;
            } while (clock.Elapsed.TotalSeconds < seconds);
            rates.Add(done / clock.Elapsed.TotalSeconds);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            extracted += done;
        }
        rates.Sort();
        double rate = rates[rates.Count / 2];

        var calibration = ChannelCalibration.Of(daqEvents[0].Channels[0]);
        var peer = RunPeer(buffer, events, calibration, seconds, rounds);
        return Format(rate, (double)allocated / extracted, checksums, peer, events, quick);
    }

    private static (double Amplitude, double Integral, double Rms, long PeakIndex, long OverRange) Checksums(FeatureExtractor extractor, EventFeatures features, DaqEvent[] events)
    {
        double amplitude = 0, integral = 0, rms = 0;
        long peakIndex = 0, overRange = 0;
        foreach (var e in events)
        {
            extractor.Extract(e, features);
            foreach (var f in features.Channels)
            {
                amplitude += f.Amplitude;
                integral += f.Integral;
                rms += f.BaselineRms;
                peakIndex += f.PeakIndex;
                if (f.IsOverRange) overRange++;
            }
        }
        return (amplitude, integral, rms, peakIndex, overRange);
    }

    private static JsonElement RunPeer(byte[] buffer, int events, ChannelCalibration calibration, double seconds, int rounds)
    {
        string file = Path.Combine(Path.GetTempPath(), $"beamdaq-features-{Environment.ProcessId}.i16");
        File.WriteAllBytes(file, buffer);
        try
        {
            // One core for both sides: numpy's reductions are single-threaded, but keep BLAS pools out of it.
            return PythonPeer.Run("features_peer.py",
                [file, events, Channels, Samples, Pre, calibration.Lsb, SampleRate, calibration.ClipHighCode, calibration.ClipLowCode, seconds, rounds],
                singleThreaded: true);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));

    private static string Format(double rate, double allocatedPerEvent, (double Amplitude, double Integral, double Rms, long PeakIndex, long OverRange) ours,
        JsonElement peer, int events, bool quick)
    {
        double peerRate = peer.GetProperty("events_per_s").GetDouble();
        bool same = Close(ours.Amplitude, peer.GetProperty("amplitude_sum").GetDouble())
                    && Close(ours.Integral, peer.GetProperty("integral_sum").GetDouble())
                    && Close(ours.Rms, peer.GetProperty("rms_sum").GetDouble())
                    && ours.PeakIndex == peer.GetProperty("peak_index_sum").GetInt64()
                    && ours.OverRange == peer.GetProperty("over_range").GetInt64();
        double samplesPerEvent = Channels * Samples;
        var md = new StringBuilder();
        md.AppendLine("## Per-event features (`features`)");
        md.AppendLine();
        md.AppendLine(FormattableString.Invariant($"{events:N0} bunches of {Channels} channels × {Samples:N0} int16 samples ({Pre} pre-trigger, λ = 2), features of every channel: baseline and RMS over the pre-trigger samples, amplitude, peak time, integral, over-range. ") +
                      $"BeamDAQ: `FeatureExtractor.Extract` per event on one thread (Vector256 reductions over the raw codes). " +
                      $"Peer: the same features with numpy {peer.GetProperty("numpy").GetString()} (Python {peer.GetProperty("python").GetString()}) over batches of 256 events (`mean`, `std`, `max`, `argmax`, `min`, `sum` along the sample axis). " +
                      $"Both read the same codes; median of {(quick ? 1 : 5)} rounds{(quick ? " (quick smoke run: figures are rough)" : "")}. " +
                      $"Same features on both sides (sums of amplitude, integral, RMS, peak index, over-range count): {(same ? "yes" : "NO")}.");
        md.AppendLine();
        md.AppendLine("| Implementation | events/s | samples/s | allocated/event |");
        md.AppendLine("|---|---:|---:|---:|");
        md.AppendLine(FormattableString.Invariant($"| BeamDAQ FeatureExtractor, 1 thread | {rate:N0} | {rate * samplesPerEvent / 1e9:F2} G | {allocatedPerEvent:N0} B |"));
        md.AppendLine(FormattableString.Invariant($"| numpy, batched | {peerRate:N0} | {peerRate * samplesPerEvent / 1e9:F2} G | n/a |"));
        md.AppendLine();
        md.AppendLine(FormattableString.Invariant($"Target: at least numpy's rate on one core — {rate:N0}/s vs {peerRate:N0}/s = {rate / peerRate:F2}× — {(rate >= peerRate ? "met" : "NOT met")}; no allocation per event — {(allocatedPerEvent < 1 ? "met" : "NOT met")}."));
        md.AppendLine();
        md.AppendLine("Reproduce: `dotnet build tests/BeamDAQ.Benchmarks -c Release && dotnet tests/BeamDAQ.Benchmarks/bin/Release/net10.0/beamdaq-bench.dll features`");
        return md.ToString().TrimEnd();
    }
}
