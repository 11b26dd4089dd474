using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>
/// Clients that run inside the network namespace of an isolated program (<c>nsenter --net=/proc/PID/ns/net</c>):
/// Debian's python3 with zmq and msgpack for run-control requests, urllib for HTTP.
/// </summary>
public static class NetworkNamespace
{
    /// <summary>Sends one run-control request (a JSON object, encoded as a MessagePack map) and returns the reply map.</summary>
    public static JsonObject Request(int pid, string endpoint, JsonObject request, double timeoutSeconds = 5) =>
        RunPython(pid, ["req_client.py", endpoint, timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)], request.ToJsonString());

    /// <summary>One HTTP request; returns the status (0 when the connection failed) and the body.</summary>
    public static (int Status, string Body) Http(int pid, string method, string url, params string[] headers)
    {
        var reply = RunPython(pid, ["http_client.py", method, url, .. headers], "");
        return (reply["status"]!.GetValue<int>(), reply["body"]!.GetValue<string>());
    }

    private static JsonObject RunPython(int pid, string[] arguments, string stdin)
    {
        var info = new ProcessStartInfo("nsenter")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add($"--net=/proc/{pid}/ns/net");
        info.ArgumentList.Add("/usr/bin/python3"); // Debian's, with python3-zmq and python3-msgpack
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "peers", arguments[0]));
        foreach (var argument in arguments.Skip(1)) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException($"python client {arguments[0]} in the namespace of {pid} did not finish");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"python client {arguments[0]} failed ({process.ExitCode}): {stderr.Result}");
        return JsonNode.Parse(stdout.Result)!.AsObject();
    }
}
