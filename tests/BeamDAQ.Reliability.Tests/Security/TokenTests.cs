using System.Text.Json.Nodes;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Reliability.Tests.Support;

namespace BeamDAQ.Reliability.Tests.Security;

/// <summary>
/// Bound beyond 127.0.0.1, run control needs a token: without one a program refuses to start; with one, a request
/// without it or with a wrong one is refused, the right one is served — and the token never appears in a log, on
/// stdout/stderr, in a reply or in a run file. The programs bind 0.0.0.0 inside a network namespace of their own
/// (only loopback, reachable from nowhere else); the clients enter that namespace.
/// </summary>
public sealed class TokenTests
{
    internal const string Token = "t0ken-7f3a9c41-never-logged";

    [Fact]
    public void WhenTheDaqRunControlIsBoundBeyondLoopbackWithoutATokenThenItRefusesToStart()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = BeamDaqProgram.Run(ProgramName.Daq, dir.Path, ["serve", "--control", "tcp://0.0.0.0:5556"], TimeSpan.FromSeconds(60));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("tcp://0.0.0.0:5556", stderr);
        Assert.Contains("token", stderr);
    }

    [Fact]
    public void WhenTheControlNodeListensBeyondLoopbackWithoutATokenThenItRefusesToStart()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = BeamDaqProgram.Run(ProgramName.Control, dir.Path,
            ["serve", "--listen", "tcp://0.0.0.0:5559", "--no-facility", "--catalog", dir.File("catalog.sqlite")], TimeSpan.FromSeconds(60));
        Assert.Equal(ExitCodes.BadUsage, code);
        Assert.Contains("tcp://0.0.0.0:5559", stderr);
        Assert.Contains("token", stderr);
        Assert.False(File.Exists(dir.File("catalog.sqlite")), "nothing may be created before the refusal");
    }

    [Fact]
    public void WhenTheDaqRequiresATokenThenRequestsWithoutOrWithAWrongTokenAreRefusedAndTheTokenIsNeverWrittenAnywhere()
    {
        using var dir = new TempDirectory();
        // The token in the configuration file (run.begin carries the configuration: it must be redacted there).
        string config = dir.Write("daq.yaml", $"run_control:\n  address: tcp://0.0.0.0:5556\n  token: {Token}\nsimulator:\n  pacing: max\noutput:\n  directory: runs\n");
        using var daq = BeamDaqProgram.Start(ProgramName.Daq, dir.Path, ["serve", "--config", config], isolatedNetwork: true);
        daq.WaitForOutput("serving run control on");
        const string endpoint = "tcp://127.0.0.1:5556";

        var missing = NetworkNamespace.Request(daq.Id, endpoint, new JsonObject { ["v"] = 1, ["cmd"] = "ping", ["id"] = "a" });
        var wrong = NetworkNamespace.Request(daq.Id, endpoint, new JsonObject { ["v"] = 1, ["cmd"] = "ping", ["id"] = "b", ["token"] = Token + "x" });
        var prefix = NetworkNamespace.Request(daq.Id, endpoint, new JsonObject { ["v"] = 1, ["cmd"] = "ping", ["id"] = "c", ["token"] = Token[..^1] });
        foreach (var refused in new[] { missing, wrong, prefix })
        {
            Assert.False(refused["ok"]!.GetValue<bool>(), refused.ToJsonString());
            Assert.Contains("token", refused["error"]!.GetValue<string>());
        }
        // A refused id is not cached as done: the same id with the token is carried out.
        var served = NetworkNamespace.Request(daq.Id, endpoint, new JsonObject { ["v"] = 1, ["cmd"] = "ping", ["id"] = "a", ["token"] = Token });
        Assert.True(served["ok"]!.GetValue<bool>(), served.ToJsonString());

        // A short run, so that run.begin (with the configuration) is written.
        Assert.True(NetworkNamespace.Request(daq.Id, endpoint, new JsonObject { ["v"] = 1, ["cmd"] = "configure", ["id"] = "d", ["token"] = Token })["ok"]!.GetValue<bool>());
        var start = NetworkNamespace.Request(daq.Id, endpoint, new JsonObject { ["v"] = 1, ["cmd"] = "start", ["id"] = "e", ["token"] = Token, ["run"] = 1, ["events"] = 20 });
        Assert.True(start["ok"]!.GetValue<bool>(), start.ToJsonString());
        Eventually.True(() => File.Exists(dir.File("runs/run_000001.bdq")) && RunFileEnded(dir.File("runs/run_000001.bdq")), "run 1 recorded to its end");

        daq.Signal(Posix.SIGTERM);
        Assert.Equal(0, daq.WaitForExit(TimeSpan.FromSeconds(30)));
        AssertTokenNowhere(dir.Path, daq);
    }

    [Fact]
    public void WhenTheControlNodeRequiresATokenThenRequestsWithoutOrWithAWrongTokenAreRefusedAndTheTokenIsNeverLogged()
    {
        using var dir = new TempDirectory();
        string tokenFile = dir.Write("token", Token + "\n");
        using var control = BeamDaqProgram.Start(ProgramName.Control, dir.Path,
            ["serve", "--listen", "tcp://0.0.0.0:5559", "--token-file", tokenFile, "--no-facility", "--catalog", "catalog.sqlite"], isolatedNetwork: true);
        control.WaitForOutput("control node listening on");
        const string endpoint = "tcp://127.0.0.1:5559";

        foreach (var token in new[] { null, "wrong-token-123", Token.ToUpperInvariant() })
        {
            var request = new JsonObject { ["v"] = 1, ["cmd"] = "status", ["id"] = Guid.NewGuid().ToString() };
            if (token is not null) request["token"] = token;
            var reply = NetworkNamespace.Request(control.Id, endpoint, request);
            Assert.False(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
            Assert.Contains("token", reply["error"]!.GetValue<string>());
            Assert.DoesNotContain(Token, reply.ToJsonString());
        }
        // start is refused too (it would allocate a run number).
        var start = NetworkNamespace.Request(control.Id, endpoint, new JsonObject { ["v"] = 1, ["cmd"] = "start", ["id"] = "s1", ["comment"] = "intruder" });
        Assert.False(start["ok"]!.GetValue<bool>());

        var served = NetworkNamespace.Request(control.Id, endpoint, new JsonObject { ["v"] = 1, ["cmd"] = "status", ["id"] = "ok1", ["token"] = Token });
        Assert.True(served["ok"]!.GetValue<bool>(), served.ToJsonString());

        control.Signal(Posix.SIGTERM);
        Assert.Equal(0, control.WaitForExit(TimeSpan.FromSeconds(30)));
        AssertTokenNowhere(dir.Path, control, except: tokenFile);
    }

    private static bool RunFileEnded(string path)
    {
        using var reader = BeamDAQ.Protocol.RunFiles.RunFileReader.Open(path);
        while (reader.TryRead(out _)) { }
        return reader.EndsWithRunEnd;
    }

    /// <summary>The token appears in no file under <paramref name="directory"/> (logs, run files, catalog) and in no output.</summary>
    internal static void AssertTokenNowhere(string directory, BeamDaqProgram program, string? except = null)
    {
        Assert.DoesNotContain(Token, program.Stdout);
        Assert.DoesNotContain(Token, program.Stderr);
        var token = System.Text.Encoding.UTF8.GetBytes(Token);
        int filesChecked = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            if (file == except || file.EndsWith(".yaml", StringComparison.Ordinal)) continue;
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(token) < 0, $"the token is written in {file}");
            filesChecked++;
        }
        Assert.True(Directory.Exists(Path.Combine(directory, "logs")) && Directory.EnumerateFiles(Path.Combine(directory, "logs")).Any(),
            "the program wrote no log file, so the check proves nothing");
        Assert.True(filesChecked > 0);
    }
}
