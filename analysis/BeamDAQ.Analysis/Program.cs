using System.CommandLine;
using BeamDAQ.Analysis.Commands;
using BeamDAQ.Protocol.Hosting;

// beamdaq-analysis — features, histograms, multiplicity fit, live monitor.
// Each command (group) lives in Commands/ and is added here; the exit-code contract is CommandLineHost's.
var root = new RootCommand("beamdaq-analysis — features, histograms, multiplicity fit, live monitor");
root.Add(AnalyzeCommand.Create(report: new BeamDAQ.Analysis.Reports.HtmlReportWriter()));
root.Add(ScanCommand.Create());
root.Add(NoiseCommand.Create());
root.Add(NoiseFigureCommand.Create());
root.Add(MonitorCommand.Create());
root.Add(FitCommand.Create());
root.Add(ValidateCommand.Create());

return CommandLineHost.Run(root, args);
