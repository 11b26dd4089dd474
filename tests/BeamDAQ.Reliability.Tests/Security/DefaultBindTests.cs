using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Analysis.Monitor;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.RunControl.Configuration;
using BeamDAQ.Daq.Configuration;
using BeamDAQ.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Reliability.Tests.Security;

/// <summary>
/// Everything binds 127.0.0.1 unless configured otherwise (DESIGN §1): the defaults in the code and in the shipped
/// configuration files, and — decisively — the sockets each program really listens on when started with nothing but
/// its defaults. Each program runs in a network namespace of its own, so the default ports cannot collide with
/// anything else on the machine.
/// </summary>
public sealed class DefaultBindTests(ITestOutputHelper output)
{
    [Fact]
    public void TheDefaultBindAddressesInTheCodeAreLoopback()
    {
        var daq = DaqConfigurationLoader.Defaults();
        var control = new ControlConfig();
        var facility = FacilityConfigLoader.Defaults();
        var binds = new Dictionary<string, string>
        {
            ["daq publish.address"] = daq.PublishAddress,
            ["daq run_control.address"] = daq.RunControlAddress,
            ["control listen.address"] = control.ListenAddress,
            ["control publish.address"] = control.PublishAddress,
            ["facility host"] = "tcp://" + facility.Host + ":0",
            ["analysis --http"] = "tcp://" + MonitorSettings.DefaultHttp,
            ["analysis --publish"] = MonitorSettings.DefaultPublish,
        };
        foreach (var (what, address) in binds)
            Assert.True(IsLoopback(address), $"{what} defaults to {address}, which is reachable from other hosts");
    }

    [Fact]
    public void TheShippedConfigurationFilesBindLoopback()
    {
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Configs, "daq*.yaml"))
        {
            var config = DaqConfigurationLoader.Load(file);
            Assert.True(IsLoopback(config.PublishAddress), $"{file}: publish.address {config.PublishAddress}");
            Assert.True(IsLoopback(config.RunControlAddress), $"{file}: run_control.address {config.RunControlAddress}");
        }
        Assert.Equal("127.0.0.1", FacilityConfigLoader.Load(RepositoryPaths.Config("facility.yaml")).Host);
        string controlFile = RepositoryPaths.Config("control.yaml");
        var control = ControlConfigLoader.Load(controlFile);
        Assert.True(IsLoopback(control.ListenAddress), $"{controlFile}: listen.address {control.ListenAddress}");
        Assert.True(IsLoopback(control.PublishAddress), $"{controlFile}: publish.address {control.PublishAddress}");
    }

    public static TheoryData<string, string, string> Programs => new()
    {
        // program, arguments (';'-separated), the listening ports its defaults must give
        { "daq", "serve", "5555,5556" },
        { "control", "serve;--catalog;catalog.sqlite;--no-facility", "5558,5559" },
        { "control", "facility-sim", "5025,5026,5027,5028,5029" },
        { "analysis", "monitor", "5557,8080" },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void WhenAProgramStartsWithItsDefaultsThenEverySocketItListensOnIsLoopback(string program, string arguments, string ports)
    {
        using var dir = new TempDirectory();
        var expected = ports.Split(',').Select(int.Parse).Order().ToList();
        var name = program switch { "daq" => ProgramName.Daq, "control" => ProgramName.Control, _ => ProgramName.Analysis };
        using var running = BeamDaqProgram.Start(name, dir.Path, arguments.Split(';'), isolatedNetwork: true);

        IReadOnlyList<ListeningSocket> sockets = [];
        Eventually.True(() => (sockets = ListeningSockets.Of(running.Id)).Select(s => s.Port).Distinct().Count() >= expected.Count || running.HasExited,
            $"{running.CommandLine} listening on {expected.Count} ports", state: () => $"listening: {string.Join(", ", sockets)}; stderr: {BeamDaqProgram.Tail(running.Stderr, 5)}");
        Assert.False(running.HasExited, $"{running.CommandLine} exited: {running.Stderr}");

        output.WriteLine($"{running.CommandLine}: listening on {string.Join(", ", sockets)}");
        Assert.All(sockets, s => Assert.True(s.IsLoopback, $"{running.CommandLine} listens on {s}, reachable from other hosts"));
        Assert.Equal(expected, sockets.Select(s => s.Port).Distinct().Order().ToList());

        // SIGTERM is a clean stop for every program.
        running.Signal(Posix.SIGTERM);
        Assert.Equal(0, running.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    private static bool IsLoopback(string address) => EndpointSecurity.IsLoopback(address);
}
