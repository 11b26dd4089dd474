using System.Text.RegularExpressions;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary><c>beamdaq-daq serve</c> on free loopback ports, with its run-control and publish endpoints as it printed them.</summary>
public sealed partial class DaqServer : IDisposable
{
    private DaqServer(BeamDaqProgram program, string control, string publish)
    {
        Program = program;
        ControlEndpoint = control;
        PublishEndpoint = publish;
    }

    public BeamDaqProgram Program { get; }
    public string ControlEndpoint { get; }
    public string PublishEndpoint { get; }

    /// <summary>Starts the daq in <paramref name="directory"/> with <paramref name="yaml"/> as its configuration file.</summary>
    public static DaqServer Start(string directory, string yaml, params string[] extraArguments)
    {
        string config = Path.Combine(directory, "daq.yaml");
        File.WriteAllText(config, yaml);
        var program = BeamDaqProgram.Start(ProgramName.Daq, directory,
            ["serve", "--config", config, "--control", "tcp://127.0.0.1:*", "--publish", "tcp://127.0.0.1:*", .. extraArguments]);
        try
        {
            program.WaitForOutput("serving run control on");
            var match = Endpoints().Match(program.Stderr);
            if (!match.Success) throw new InvalidOperationException($"no endpoints in: {program.Stderr}");
            return new DaqServer(program, match.Groups[1].Value, match.Groups[2].Value);
        }
        catch
        {
            program.Dispose();
            throw;
        }
    }

    public void Dispose() => Program.Dispose();

    [GeneratedRegex(@"serving run control on (tcp://\S+), publishing on (tcp://\S+);")]
    private static partial Regex Endpoints();
}
