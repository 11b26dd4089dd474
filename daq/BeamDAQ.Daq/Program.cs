using BeamDAQ.Daq.Commands;
using BeamDAQ.Protocol.Hosting;

// beamdaq-daq — front end: HS4 acquisition, recording, publishing.
// Each command lives in Commands/ and is added in DaqCommandLine; the exit-code contract is CommandLineHost's.
return CommandLineHost.Run(DaqCommandLine.Create(CommandContext.Process), args);
