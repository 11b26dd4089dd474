using BeamDAQ.Reliability.Tests.Support;

namespace BeamDAQ.Reliability.Tests.Security;

/// <summary>
/// The web monitor bound beyond 127.0.0.1: without a token it is read-only (nothing can be reset, frozen, uploaded or
/// started from another host); with a token, every change needs it in the <c>X-BeamDAQ-Token</c> header, and the token
/// is never logged. The monitor binds 0.0.0.0 inside a network namespace of its own; the client enters it.
/// </summary>
public sealed class MonitorTokenTests
{
    private const string Token = TokenTests.Token;

    [Fact]
    public void WhenTheMonitorIsServedBeyondLoopbackWithoutATokenThenItIsReadOnly()
    {
        using var dir = new TempDirectory();
        using var monitor = BeamDaqProgram.Start(ProgramName.Analysis, dir.Path, ["monitor", "--http", "0.0.0.0:8080"], isolatedNetwork: true);
        WaitForHttp(monitor);

        var (stateStatus, _) = NetworkNamespace.Http(monitor.Id, "GET", "http://127.0.0.1:8080/api/state");
        Assert.Equal(200, stateStatus);
        foreach (var path in new[] { "/api/reset", "/api/freeze?on=true", "/api/clear-at-run-start?on=false", "/api/reference", "/api/run/start" })
        {
            var (status, body) = NetworkNamespace.Http(monitor.Id, "POST", "http://127.0.0.1:8080" + path, "X-BeamDAQ-Monitor=1");
            Assert.True(status is 401 or 403, $"POST {path} from another host without a token: {status} {body}");
        }
    }

    [Fact]
    public void WhenTheMonitorHasATokenThenChangesWithoutOrWithAWrongTokenAreRefusedAndTheTokenIsNeverLogged()
    {
        using var dir = new TempDirectory();
        string tokenFile = dir.Write("token", Token + "\n");
        using var monitor = BeamDaqProgram.Start(ProgramName.Analysis, dir.Path, ["monitor", "--http", "0.0.0.0:8080", "--token-file", tokenFile], isolatedNetwork: true);
        WaitForHttp(monitor);

        var (noToken, _) = NetworkNamespace.Http(monitor.Id, "POST", "http://127.0.0.1:8080/api/reset", "X-BeamDAQ-Monitor=1");
        var (wrongToken, _) = NetworkNamespace.Http(monitor.Id, "POST", "http://127.0.0.1:8080/api/reset", "X-BeamDAQ-Monitor=1", "X-BeamDAQ-Token=" + Token + "0");
        var (rightToken, body) = NetworkNamespace.Http(monitor.Id, "POST", "http://127.0.0.1:8080/api/reset", "X-BeamDAQ-Monitor=1", "X-BeamDAQ-Token=" + Token);
        Assert.Equal(401, noToken);
        Assert.Equal(401, wrongToken);
        Assert.True(rightToken == 200, $"with the token: {rightToken} {body}");

        monitor.Signal(Posix.SIGTERM);
        monitor.WaitForExit(TimeSpan.FromSeconds(30));
        TokenTests.AssertTokenNowhere(dir.Path, monitor, except: tokenFile);
    }

    private static void WaitForHttp(BeamDaqProgram monitor) =>
        Eventually.True(() => ListeningSockets.Of(monitor.Id).Any(s => s.Port == 8080) || monitor.HasExited, "the monitor serving HTTP",
            state: () => monitor.Stderr);

}
