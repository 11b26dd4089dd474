using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Tests.Histograms;

public sealed class AmplitudeCsvTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"beamdaq-amplitudes-{Guid.NewGuid():N}.csv");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void WhenAFileHasCommentsAndBlankLinesThenTheyAreSkippedAndValuesScaled()
    {
        File.WriteAllLines(_path, ["# volts", "0.001", "", "0.002", .. Enumerable.Repeat("0.0035", 10)]);
        var values = AmplitudeCsv.Read(_path, 1000, "volts");
        Assert.Equal(12, values.Length);
        Assert.Equal(1.0, values[0], 12);
        Assert.Equal(3.5, values[^1], 12);
    }

    [Fact]
    public void WhenALineIsNotANumberThenTheErrorNamesFileLineValueAndWhatIsAllowed()
    {
        File.WriteAllLines(_path, ["0.001", "0.002", "12 mV", "0.004"]);
        var e = Assert.Throws<UsageException>(() => AmplitudeCsv.Read(_path, 1000, "volts"));
        Assert.Contains($"{_path}:3", e.Message);
        Assert.Contains("'12 mV'", e.Message);
        Assert.Contains("one finite number per line", e.Message);
    }

    [Fact]
    public void WhenAValueIsNotFiniteThenItIsRejectedToo()
    {
        File.WriteAllLines(_path, ["0.001", "NaN"]);
        var e = Assert.Throws<UsageException>(() => AmplitudeCsv.Read(_path, 1, "mV"));
        Assert.Contains(":2", e.Message);
    }
}
