using System.CommandLine;
using System.Globalization;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Daq.Replay;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Transport;
using Spectre.Console;

namespace BeamDAQ.Daq.Commands;

/// <summary>
/// <c>beamdaq-daq replay FILE [--speed X|max] [--publish ADDR]</c>: republishes a recorded run on the live topics
/// (evt with the replay flag, run.begin with <c>replay: true</c>), with the original timing scaled by the speed and a
/// progress bar on stderr. Exit code 1 when the file is damaged (replayed up to its last whole record).
/// </summary>
internal static class ReplayCommand
{
    /// <summary>
    /// How long to wait after binding before the first message: subscribers that are already trying to connect get
    /// their subscriptions through, so they do not miss run.begin (ZeroMQ's "slow joiner").
    /// </summary>
    public static readonly TimeSpan SubscriberSettleTime = TimeSpan.FromMilliseconds(500);

    public static Command Create(CommandContext context)
    {
        var file = new Argument<string>("FILE") { Description = "A run file (.bdq)" };
        var speed = new Option<string?>("--speed") { Description = "Time scale of the recorded timing: 1 = as recorded (default), 10 = ten times faster, max = no waiting", HelpName = "X|max" };
        var publish = new Option<string?>("--publish") { Description = "PUB address (default tcp://127.0.0.1:5555)", HelpName = "ADDR" };
        var command = new Command("replay", "Republish a recorded run as if live (replay-flagged), timing scaled by --speed");
        command.Add(file);
        command.Add(speed);
        command.Add(publish);
        command.SetAction(parse => context.Execute(() =>
        {
            string path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new UsageException($"run file '{path}' not found");
            double? scale = ParseSpeed(parse.GetValue(speed));
            string address = parse.GetValue(publish) ?? "tcp://127.0.0.1:5555";

            using var log = context.CreateLogger();
            using var zmq = new ZmqContext();
            using var publisher = new EventPublisher(zmq, address);
            log.Information("replaying {File} on {Endpoint} at speed {Speed}", Path.GetFullPath(path), publisher.Endpoint, scale?.ToString(CultureInfo.InvariantCulture) ?? "max");
            Thread.Sleep(SubscriberSettleTime);

            using var cancel = new CancellationTokenSource();
            using var interrupt = context.OnInterrupt(cancel.Cancel);
            var player = new ReplayPlayer(publisher, RealTimeClock.Instance, scale, log);
            ReplayResult result;
            if (context.ErrorIsTerminal)
            {
                result = null!;
                context.ErrorConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(progress =>
                    {
                        var task = progress.AddTask(Path.GetFileName(path), maxValue: Math.Max(1, new FileInfo(path).Length));
                        result = player.Play(path, new InlineProgress(p => task.Value = p.Position), cancel.Token);
                        task.Value = task.MaxValue;
                    });
            }
            else
            {
                result = player.Play(path, null, cancel.Token);
            }

            context.Out.WriteLine($"replayed {result.Published} record(s) of {result.File} ({string.Join(", ", result.PerTopic.Select(t => $"{t.Key} {t.Value}"))}) on {publisher.Endpoint}");
            if (result.Refused > 0) context.Out.WriteLine($"  {result.Refused} message(s) could not be queued by the socket (dropped)");
            if (result.Unmarkable > 0) context.Out.WriteLine($"  {result.Unmarkable} record(s) left out: they could not be marked as replayed");
            if (result.Cancelled) context.Out.WriteLine("  interrupted before the end of the file");
            if (result.EndState != RunFileEndState.CleanEnd)
                context.Out.WriteLine($"  the file is damaged: {result.EndState} at offset {result.EndOffset}: {result.EndDescription}");
            return result.EndState == RunFileEndState.CleanEnd && result.Unmarkable == 0 ? ExitCodes.Success : ExitCodes.RuntimeFailure;
        }));
        return command;
    }

    internal static double? ParseSpeed(string? text)
    {
        if (text is null) return 1;
        if (string.Equals(text, "max", StringComparison.OrdinalIgnoreCase)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 && double.IsFinite(s)) return s;
        throw new UsageException($"--speed '{text}' is not allowed: a factor > 0 (1 = as recorded, 10 = ten times faster) or max");
    }

    private sealed class InlineProgress(Action<ReplayProgress> report) : IProgress<ReplayProgress>
    {
        public void Report(ReplayProgress value) => report(value);
    }
}
