using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Tests.RunFiles.Support;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.RunFiles;

/// <summary>The live_bdq.py example of docs/format.md, run as printed against a real C# publisher over TCP.</summary>
public sealed class RunFileLiveExampleTests
{
    [Fact]
    public async Task WhenTheLiveExampleSubscribesToAPublisherThenItPrintsEventsWithTheirVoltsAndMissesNothing()
    {
        using var context = new ZmqContext();
        using var publisher = new EventPublisher(context, "tcp://127.0.0.1:*");
        var start = new ProcessStartInfo(PythonScripts.Interpreter)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { PythonScripts.LiveExampleScript, publisher.Endpoint, "3" }) start.ArgumentList.Add(argument);
        using var python = Process.Start(start) ?? throw new InvalidOperationException("could not start python");
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();

        // A subscriber misses what is published before it has connected: publish until it has seen 3 events.
        // Between events goes an sc reading, a topic the script does not subscribe to: seq jumps over it, tseq does
        // not, and the script must count nothing missed.
        var clock = Stopwatch.StartNew();
        for (ulong trigger = 1; !python.HasExited; trigger++)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                python.Kill();
                Assert.Fail($"live_bdq.py did not see 3 events within 30 s: {await stderr}");
            }
            publisher.PublishEvent(RunFileMessages.EventOf(5, trigger, samples: 32));
            publisher.Publish(Topics.SlowControl, new Dictionary<string, object?> { ["device"] = "magnet", ["value"] = 1.5 });
            python.WaitForExit(TimeSpan.FromMilliseconds(20));
        }

        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, await stderr);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length); // 3 events × 2 channels
        foreach (var line in lines)
        {
            var m = Regex.Match(line, @"^run 5 trg (\d+) ch(\d): 32 samples, min ([-+]\d+\.\d{4}) V, flags (0x[0-9a-f]+), missed so far 0$");
            Assert.True(m.Success, $"unexpected line: {line}");
            var e = RunFileMessages.EventOf(5, ulong.Parse(m.Groups[1].Value), samples: 32);
            var channel = e.Channel(int.Parse(m.Groups[2].Value))!;
            double minVolts = channel.Samples.ToArray().Min(code => channel.ToVolts(code));
            Assert.Equal(minVolts.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture), m.Groups[3].Value);
            Assert.Equal($"0x{(uint)e.Flags:x}", m.Groups[4].Value);
        }
    }
}
