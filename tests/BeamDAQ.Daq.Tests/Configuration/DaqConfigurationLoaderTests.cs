using BeamDAQ.Daq.Configuration;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.Digitizers.Simulation.Faults;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Daq.Tests.Configuration;

public sealed class DaqConfigurationLoaderTests
{
    [Fact]
    public void TheDocumentedDefaultFileSaysExactlyWhatTheBuiltInDefaultsAre()
    {
        var file = DaqConfigurationLoader.Load(RepositoryPaths.Configs("daq.yaml"));
        var defaults = DaqConfigurationLoader.Defaults();

        Assert.Equal(Normalise(defaults.ToMap()), Normalise(file.ToMap()));
        Assert.Equal(DigitizerDriver.Simulator, file.Driver);
        Assert.Equal(12, file.Digitizer.ResolutionBits);
        Assert.Equal(50e6, file.Digitizer.SampleRateHz);
        Assert.Null(file.Digitizer.TriggerTimeout);
        Assert.Equal(0.053, file.Simulator.GainVoltsPerMeV, 12);
        Assert.Equal(TimeSpan.FromSeconds(2), file.Watchdog);
    }

    [Fact]
    public void TheFastTestConfigurationRunsTheSimulatorWithoutWaiting()
    {
        var fast = DaqConfigurationLoader.Load(RepositoryPaths.Configs("daq-fast.yaml"));
        Assert.Equal(SimulationPacing.Max, fast.Simulator.Pacing);
        Assert.Equal(500, fast.Digitizer.RecordLength);
        Assert.Equal(TimeSpan.FromSeconds(0.2), fast.Heartbeat);
        Assert.EndsWith("daq-fast.yaml", fast.Source);
    }

    [Fact]
    public void WhenTheMapOfAConfigurationIsLoadedBackThenItIsTheSameConfiguration()
    {
        var original = DaqConfigurationLoader.Parse("""
            digitizer:
              resolution_bits: 14
              sample_rate_hz: 3.125e6
              record_length: 4096
              pre_sample_ratio: 0.5
              channels:
                - { id: 1, range_v: 0.4 }
                - { id: 3, enabled: false, range_v: 8, coupling: ac }
              trigger: { edge: falling, timeout_s: 1.5 }
            simulator:
              beam: { lambda: 8.7, overdispersion: 0.1 }
              faults: remove@10:2s,missing@20x2
            """, "roundtrip.yaml");

        var reloaded = DaqConfigurationLoader.Parse("", "(defaults)", original.ToMap(), "map");

        Assert.Equal(Normalise(original.ToMap()), Normalise(reloaded.ToMap()));
        Assert.Equal(TriggerEdge.Falling, reloaded.Digitizer.TriggerEdge);
        Assert.Equal(TimeSpan.FromSeconds(1.5), reloaded.Digitizer.TriggerTimeout);
        Assert.Equal(Coupling.AC, reloaded.Digitizer.Channels[1].Coupling);
        Assert.Equal("remove@10:2s,missing@20x2", reloaded.Simulator.Faults.ToString());
    }

    [Fact]
    public void WhenOverridesAreGivenAsDottedKeysThenTheyReplaceTheFilesValues()
    {
        var config = DaqConfigurationLoader.Parse("simulator:\n  beam:\n    lambda: 2.2\n", "base.yaml",
            new Dictionary<string, object?>
            {
                ["simulator.beam.lambda"] = "3.5",
                ["simulator.pacing"] = "max",
                ["output.directory"] = "/tmp/runs",
                ["simulator.faults"] = "slow@5:100ms",
            }, "command line");

        Assert.Equal(3.5, config.Simulator.Lambda);
        Assert.Equal(SimulationPacing.Max, config.Simulator.Pacing);
        Assert.Equal("/tmp/runs", config.OutputDirectory);
        Assert.Equal(new SlowReadFault(5, 1, TimeSpan.FromMilliseconds(100)), Assert.Single(config.Simulator.Faults.Faults));
        Assert.Equal("base.yaml + command line", config.Source);
    }

    [Fact]
    public void WhenAnOverrideIsInvalidThenTheProblemNamesTheOverrideAsItsSource()
    {
        var e = Assert.Throws<ConfigurationException>(() => DaqConfigurationLoader.Parse("", "daq.yaml",
            new Dictionary<string, object?> { ["simulator"] = new Dictionary<string, object?> { ["beam"] = new Dictionary<string, object?> { ["lambda"] = -2.0 } } },
            "run control"));
        var problem = Assert.Single(e.Problems);
        Assert.Equal("simulator.beam.lambda", problem.KeyPath);
        Assert.StartsWith("run control: simulator.beam.lambda = -2", problem.ToString());
    }

    [Fact]
    public void WhenTheTemplateResponseIsChosenThenTheTemplatePathResolvesAgainstTheConfigurationFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), "beamdaq-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllLines(Path.Combine(dir, "template.csv"), ["0.23", "0.25", "0.31"]);
            string config = Path.Combine(dir, "daq.yaml");
            File.WriteAllText(config, "simulator:\n  detector:\n    response: template\n    template_file: template.csv\n");
            var loaded = DaqConfigurationLoader.Load(config);
            Assert.Equal(DepositResponse.Template, loaded.Simulator.Response);
            Assert.Equal(Path.Combine(dir, "template.csv"), loaded.Simulator.TemplateFile);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void WhenTheTokenIsSetThenTheRecordedMapRedactsIt()
    {
        var config = DaqConfigurationLoader.Parse("run_control:\n  token: s3cret\n", "t.yaml");
        Assert.Equal("s3cret", config.RunControlToken);
        var map = (IReadOnlyDictionary<string, object?>)config.ToMap()["run_control"]!;
        Assert.Equal("(redacted)", map["token"]);
    }

    [Fact]
    public void WhenTheFileIsMissingThenTheErrorNamesItAndIsBadUsage()
    {
        var e = Assert.Throws<ConfigurationException>(() => DaqConfigurationLoader.Load("/nonexistent/daq.yaml"));
        Assert.Contains("/nonexistent/daq.yaml", e.Message);
        Assert.Contains("not found", e.Message);
        Assert.IsAssignableFrom<UsageException>(e);
    }

    [Fact]
    public void WhenSeveralThingsAreWrongThenAllAreReportedTogetherWithTheirLines()
    {
        var e = Assert.Throws<ConfigurationException>(() => DaqConfigurationLoader.Parse("""
            digitizer:
              resolution_bits: 14
              sample_rate_hz: 50e6
              record_length: 200000
              chanels: []
            watchdog_s: fast
            """, "many.yaml"));

        Assert.Equal(4, e.Problems.Count);
        Assert.Contains("many.yaml:3: digitizer.sample_rate_hz", e.Message);
        Assert.Contains("many.yaml:4: digitizer.record_length", e.Message);
        Assert.Contains("many.yaml:5: unknown key 'digitizer.chanels'", e.Message);
        Assert.Contains("many.yaml:6: 'watchdog_s' = fast is a string; expected a number", e.Message);
    }

    [Fact]
    public void WhenTheConfigurationIsValidThenTheProviderFactoryGivesTheSimulator()
    {
        var config = DaqConfigurationLoader.Load(RepositoryPaths.Configs("daq-fast.yaml"));
        var provider = Assert.IsType<SimulatedHs4Provider>(DigitizerProviderFactory.Create(config));
        Assert.IsType<BeamDAQ.Daq.Digitizers.Timing.VirtualClock>(provider.Clock);
        using var digitizer = provider.TryOpen(null);
        Assert.NotNull(digitizer);
        var applied = digitizer.Configure(config.Digitizer);
        Assert.Equal(500, applied.RecordLength);
    }

    /// <summary>A map with doubles rounded to 12 significant digits (ms ↔ s conversions), for equality.</summary>
    private static string Normalise(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => "{" + string.Join(",", map.Select(kv => kv.Key + ":" + Normalise(kv.Value))) + "}",
        IEnumerable<object?> list => "[" + string.Join(",", list.Select(Normalise)) + "]",
        double d => d.ToString("G12", System.Globalization.CultureInfo.InvariantCulture),
        null => "null",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };
}
