using System.CommandLine;
using BeamDAQ.Control.Commands;
using BeamDAQ.Protocol.Hosting;

// beamdaq-control — run control, run catalog, slow control, simulated facility.
// Each command (group) lives in Commands/ and is added here; the exit-code contract is CommandLineHost's.
var root = new RootCommand("beamdaq-control — run control, run catalog, slow control, simulated facility");
root.Add(RunsCommand.Create());
root.Add(LogbookCommand.Create());
root.Add(FacilitySimCommand.Create());
root.Add(ServeCommand.Create());
root.Add(StartCommand.Create());
root.Add(StopCommand.Create());
root.Add(StatusCommand.Create());
root.Add(ResetCommand.Create());

return CommandLineHost.Run(root, args);
