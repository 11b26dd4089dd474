using System.CommandLine;
using BeamDAQ.Protocol.Hosting;

// beamdaq-analysis — features, histograms, multiplicity fit, live monitor.
// Each command (group) lives in Commands/ and is added here; the exit-code contract is CommandLineHost's.
var root = new RootCommand("beamdaq-analysis — features, histograms, multiplicity fit, live monitor");

return CommandLineHost.Run(root, args);
