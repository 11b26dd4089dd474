using System.CommandLine;
using BeamDAQ.Protocol.Hosting;

// beamdaq-daq — front end: HS4 acquisition, recording, publishing.
// Each command (group) lives in Commands/ and is added here; the exit-code contract is CommandLineHost's.
var root = new RootCommand("beamdaq-daq — front end: HS4 acquisition, recording, publishing");

return CommandLineHost.Run(root, args);
