using System.CommandLine;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Hs4;
using BeamDAQ.Daq.Digitizers.Hs4.Interop;
using BeamDAQ.Daq.Digitizers.Hs4.Native;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Daq.Commands;

/// <summary>
/// <c>beamdaq-daq devices [--sim] [--config F]</c>: the HS4s libtiepie-hw can open (model, serial number, driver),
/// or with <c>--sim</c> the simulated one. Without libtiepie-hw: how to install it, exit code 1.
/// </summary>
internal static class DevicesCommand
{
    /// <summary>What to do when libtiepie-hw is missing (docs/hardware.md §1 has the details).</summary>
    public const string InstallHint =
        "install TiePie's libtiepie-hw 1.x (the LibTiePie-HW SDK for Linux from tiepie.com, which ships Debian packages) so that " +
        LibTiePieNative.LibraryName + " is on the loader path (`ldconfig -p | grep libtiepie-hw`), or set LD_LIBRARY_PATH to its directory; " +
        "see docs/hardware.md. Without it only the simulator works: `beamdaq-daq devices --sim`";

    public static Command Create(CommandContext context)
    {
        var configuration = new ConfigurationOptions();
        var command = new Command("devices", "List the Handyscope HS4s that can be opened (with --sim: the simulated HS4)");
        configuration.AddTo(command);
        command.SetAction(parse => context.Execute(() =>
        {
            bool simulated = parse.GetValue(configuration.Sim);
            IReadOnlyList<DigitizerIdentity> devices;
            if (simulated)
            {
                var config = configuration.Load(parse, []);
                devices = new SimulatedHs4Provider(config.Simulator, Digitizers.Timing.RealTimeClock.Instance).ListDevices();
            }
            else
            {
                try
                {
                    using var provider = new Hs4Provider();
                    devices = provider.ListDevices();
                }
                catch (LibTiePieException e) when (e.InnerException is DllNotFoundException or EntryPointNotFoundException)
                {
                    context.Error.WriteLine($"beamdaq-daq: {e.Message}");
                    context.Error.WriteLine($"beamdaq-daq: to use a real HS4, {InstallHint}");
                    return ExitCodes.RuntimeFailure;
                }
            }

            if (devices.Count == 0)
            {
                context.Out.WriteLine(simulated
                    ? "no simulated HS4 (it is off the bus)"
                    : "no HS4 found: check the USB cable and power, the udev rule (docs/hardware.md §2), and that no other program has it open");
                return ExitCodes.Success;
            }
            context.Out.WriteLine($"{"serial",-12} {"model",-36} driver");
            foreach (var d in devices)
                context.Out.WriteLine($"{d.SerialNumber,-12} {d.Model,-36} {d.DriverVersion}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
