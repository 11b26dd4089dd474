using BeamDAQ.Daq.Digitizers;

namespace BeamDAQ.Daq.Tests.Digitizers;

public sealed class AdcScaleTests
{
    [Fact]
    public void TheVoltageStepIsTheFullRangeOverTheLevelCountAsInTheManual()
    {
        // HS4 manual §3.3: the ±200 mV range at 12 bit has a step of 0.400 V / 4096 = 97.65 µV.
        Assert.Equal(97.65625e-6, new AdcScale(0.2, 12).Lsb, 12);
        Assert.Equal(2 * 8.0 / 65536, new AdcScale(8, 16).Lsb, 15);
    }

    [Theory]
    [InlineData(12, -2048, 2047)]
    [InlineData(14, -8192, 8191)]
    [InlineData(16, -32768, 32767)]
    public void TheCodesSpanTheResolution(int bits, int min, int max)
    {
        var scale = new AdcScale(1, bits);
        Assert.Equal(min, scale.MinCode);
        Assert.Equal(max, scale.MaxCode);
    }

    [Fact]
    public void WhenQuantisingThenValuesRoundToTheNearestLevelAndClipAtTheRangeWithTheSaturationFlag()
    {
        var scale = new AdcScale(0.8, 12); // lsb 0.390625 mV
        var codes = new short[6];
        bool saturated = scale.Quantize([0f, 0.0002f, -0.0002f, 0.1f, 0.5f, -0.3f], codes);
        Assert.Equal(new short[] { 0, 1, -1, 256, 1280, -768 }, codes);
        Assert.False(saturated);

        Assert.True(scale.Quantize([0f, 5f], codes));
        Assert.Equal(2047, codes[1]);
        Assert.True(scale.Quantize([-5f], codes));
        Assert.Equal(-2048, codes[0]);
        Assert.True(scale.Quantize([float.NaN], codes));
    }
}
