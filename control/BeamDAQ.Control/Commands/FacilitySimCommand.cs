using System.CommandLine;
using System.Text.Json;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Protocol.Hosting;
using Serilog.Events;

namespace BeamDAQ.Control.Commands;

/// <summary>
/// <c>beamdaq-control facility-sim [--config F] [--base-port P] [--time-scale X] [--seed N] [--json] [--verbose]</c>:
/// serves every simulated facility device on its own port until SIGINT or SIGTERM.
/// </summary>
public static class FacilitySimCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config")
        {
            Description = $"facility configuration (default: {FacilityConfigLoader.DefaultPath} if it exists, else built-in defaults)",
        };
        var basePort = new Option<int?>("--base-port")
        {
            Description = "devices listen on P + offset (magnet +0, collimators +1, hv +2, temperatures +3, beam +4); 0 picks free ports",
        };
        var timeScale = new Option<double>("--time-scale")
        {
            Description = "facility time runs this many times faster than the wall clock (ramps, drifts, jaw moves)",
            DefaultValueFactory = _ => 1.0,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "seed of the jaw positioning errors and the read noise",
            DefaultValueFactory = _ => 1,
        };
        var json = new Option<bool>("--json") { Description = "print the bound endpoints as one JSON object instead of a table" };
        var verbose = new Option<bool>("--verbose") { Description = "log every query too (default: settings and faults only)" };

        var command = new Command("facility-sim", "serve the simulated facility (magnet, collimators, HV, NTC, beam) on 127.0.0.1 until SIGINT/SIGTERM")
        {
            config, basePort, timeScale, seed, json, verbose,
        };
        command.SetAction(parse => Run(
            parse.GetValue(config), parse.GetValue(basePort), parse.GetValue(timeScale), parse.GetValue(seed),
            parse.GetValue(json), parse.GetValue(verbose)));
        return command;
    }

    private static int Run(string? configPath, int? basePort, double timeScale, int seed, bool json, bool verbose)
    {
        if (basePort is int p && (p < 0 || p > 65535 - FacilityDevices.All.Count))
            throw new UsageException($"--base-port {p}: expected 0 (free ports) or 1–{65535 - FacilityDevices.All.Count}");
        if (!(timeScale > 0) || double.IsInfinity(timeScale))
            throw new UsageException($"--time-scale {timeScale}: expected a finite number > 0");

        var config = LoadConfig(configPath, out string configSource);
        var log = BeamDaqLogging.Create("beamdaq-control", minimum: verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .ForContext("Component", "facility-sim");
        try
        {
            using var stop = new StopSignals();

            IClock clock = timeScale == 1.0 ? SystemClock.Instance : new AcceleratedClock(SystemClock.Instance, timeScale);
            var sim = FacilitySimulator.Start(config, clock, log, basePort, seed);
            try
            {
                log.Information("facility-sim: configuration {Source}, time scale {Scale}, seed {Seed}", configSource, timeScale, seed);
                PrintEndpoints(sim.Endpoints, json);
                log.Information("facility-sim: ready; SIGINT or SIGTERM stops");
                stop.Wait();
                log.Information("facility-sim: stopping");
            }
            finally
            {
                sim.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            log.Information("facility-sim: stopped");
            return ExitCodes.Success;
        }
        finally
        {
            Serilog.Log.CloseAndFlush();
            (log as IDisposable)?.Dispose();
        }
    }

    private static FacilityConfig LoadConfig(string? path, out string source)
    {
        if (path is not null)
        {
            if (!File.Exists(path))
                throw new UsageException($"--config {path}: no such file");
            source = path;
            return FacilityConfigLoader.Load(path);
        }
        if (File.Exists(FacilityConfigLoader.DefaultPath))
        {
            source = FacilityConfigLoader.DefaultPath;
            return FacilityConfigLoader.Load(FacilityConfigLoader.DefaultPath);
        }
        source = "built-in defaults";
        return FacilityConfigLoader.Defaults();
    }

    private static void PrintEndpoints(FacilityEndpoints endpoints, bool json)
    {
        if (json)
        {
            var map = FacilityDevices.All.ToDictionary(d => d.Name(), d => new { host = endpoints[d].Host, port = endpoints[d].Port });
            Console.Out.WriteLine(JsonSerializer.Serialize(map));
        }
        else
        {
            foreach (var device in FacilityDevices.All)
                Console.Out.WriteLine($"{device.Name(),-13} {endpoints[device],-21} {device.Description()}");
        }
        Console.Out.Flush();
    }
}
