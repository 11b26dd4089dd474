using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.RunControl.Server;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Control.Commands;

/// <summary>
/// What <c>start</c>, <c>stop</c>, <c>status</c> and <c>reset</c> share: where the control node is (--connect), its token
/// (--token-file), the request with its time-out, and the exit codes: 0 done, 2 refused as bad usage, 1 refused
/// otherwise or no control node answering.
/// </summary>
internal static class RunControlCommandSupport
{
    public static Option<string> ConnectOption() => new("--connect")
    {
        Description = $"the control node's command endpoint (default {ControlProtocol.DefaultListenAddress})",
        HelpName = "ADDR",
        DefaultValueFactory = _ => ControlProtocol.DefaultListenAddress,
    };

    public static Option<string?> TokenFileOption() => new("--token-file")
    {
        Description = "file whose first line is the control node's token (needed when it listens beyond 127.0.0.1)",
        HelpName = "F",
    };

    public static Option<double> TimeoutOption(double seconds) => new("--timeout")
    {
        Description = $"seconds to wait for the control node's reply (default {seconds.ToString(CultureInfo.InvariantCulture)})",
        HelpName = "S",
        DefaultValueFactory = _ => seconds,
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "print the reply as one JSON object" };

    /// <summary>Runs a command body; bad usage found in it (a malformed address, an unreadable token file) is exit code 2.</summary>
    public static int Run(CommandConsole console, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UsageException e)
        {
            console.Error.WriteLine($"{CatalogCommandSupport.Program}: {e.Message}");
            return ExitCodes.BadUsage;
        }
    }

    /// <summary>Sends one request; the reply, or null after printing why there is none.</summary>
    public static Dictionary<string, object?>? Request(CommandConsole console, string connect, string? tokenFile, double timeoutSeconds,
        string command, IReadOnlyDictionary<string, object?>? keys)
    {
        if (EndpointSecurity.CheckAddress(connect) is { } expected)
            throw new UsageException($"--connect {connect}: expected {expected}");
        if (!(timeoutSeconds > 0) || timeoutSeconds > 86400)
            throw new UsageException($"--timeout {timeoutSeconds.ToString(CultureInfo.InvariantCulture)}: expected seconds > 0 and at most 86400");
        string? token = tokenFile is null ? null : EndpointSecurity.ReadTokenFile(tokenFile);
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var client = new ControlClient(context, connect, TimeSpan.FromSeconds(timeoutSeconds), retries: 1, token);
        var reply = client.Send(command, keys, out string? failure);
        if (reply is null)
            console.Error.WriteLine($"{CatalogCommandSupport.Program}: {command}: {failure}");
        return reply;
    }

    /// <summary>True when the reply says ok; otherwise prints its error and sets the exit code.</summary>
    public static bool Succeeded(CommandConsole console, string command, Dictionary<string, object?> reply, out int exitCode)
    {
        if (reply.GetValueOrDefault("ok") is true)
        {
            exitCode = ExitCodes.Success;
            return true;
        }
        console.Error.WriteLine($"{CatalogCommandSupport.Program}: {command}: {reply.GetValueOrDefault("error") as string ?? "refused (no reason given)"}");
        if (reply.GetValueOrDefault("warnings") is List<object?> warnings)
            foreach (var warning in warnings)
                console.Error.WriteLine($"  warning: {warning}");
        exitCode = reply.GetValueOrDefault("error_kind") as string == ControlProtocol.UsageError ? ExitCodes.BadUsage : ExitCodes.RuntimeFailure;
        return false;
    }

    public static void WriteJson(CommandConsole console, IReadOnlyDictionary<string, object?> reply)
    {
        var copy = reply.Where(p => p.Key != "v").ToDictionary(p => p.Key, p => p.Value);
        // Indented human-readable JSON of the reply, one object.
        using var document = JsonDocument.Parse(WireMessages.ToJson(copy));
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Catalog.Export.CatalogJson.WriterOptions.Encoder }))
            document.WriteTo(writer);
        console.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static string Text(object? value, string format = "G6") => value switch
    {
        null => "-",
        double d => d.ToString(format, CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    };

    public static IReadOnlyDictionary<string, object?>? Map(object? value) => value as IReadOnlyDictionary<string, object?>;
}
