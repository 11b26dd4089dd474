using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Tests.Facility.Support;

namespace BeamDAQ.Control.Tests.Facility;

public partial class FacilitySimCommandTests
{
    private const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static ProcessStartInfo Program(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(), // no configs/ here: built-in defaults unless --config
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "beamdaq-control.dll"));
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["BEAMDAQ_LOG_DIR"] = Path.Combine(Path.GetTempPath(), "beamdaq-test-logs");
        return info;
    }

    [Fact]
    public async Task WhenStartedOnFreePortsThenItPrintsThemServesEveryDeviceAndStopsCleanlyOnSigterm()
    {
        using var process = Process.Start(Program("facility-sim", "--config", ConfigFiles.Facility, "--base-port", "0", "--json"))!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string line = await process.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("no endpoint line");
            using var json = JsonDocument.Parse(line);
            foreach (var device in FacilityDevices.All)
            {
                var entry = json.RootElement.GetProperty(device.Name());
                var endpoint = new DeviceEndpoint(entry.GetProperty("host").GetString()!, entry.GetProperty("port").GetInt32());
                await using var connection = await RawConnection.OpenAsync(endpoint);
                Assert.StartsWith("BeamDAQ,SIM-", await connection.QueryAsync("*IDN?"));
            }

            Assert.Equal(0, Kill(process.Id, SIGTERM));
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("facility-sim: stopped", await stderr);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    [Theory]
    [InlineData("--base-port", "70000")]
    [InlineData("--time-scale", "0")]
    [InlineData("--config", "/nonexistent/facility.yaml")]
    public async Task WhenAnOptionIsInvalidThenItExitsWithCode2NamingIt(string option, string value)
    {
        using var process = Process.Start(Program("facility-sim", option, value))!;
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(option, stderr);
    }
}
