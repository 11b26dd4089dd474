using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.SlowControl.Calibration;
using BeamDAQ.Control.Tests.Facility.Support;

namespace BeamDAQ.Control.Tests.SlowControl;

public class BeamEnergyCalibrationTests
{
    private static readonly MagnetConfig Magnet = FacilityConfigLoader.Load(ConfigFiles.Facility).Magnet;
    private static readonly BeamEnergyCalibration Energy = BeamEnergyCalibration.FromConfig(Magnet);

    [Fact]
    public void WhenTheMagnetIsAtTheDocumentedDefaultCurrentThenItSelectsThePapers27MeVElectrons()
    {
        Assert.Equal(11.869, Magnet.DefaultCurrentA);
        Assert.Equal(2.700, Energy.KineticEnergyMeV(Magnet.DefaultCurrentA), 3);
        Assert.Equal(Magnet.DefaultCurrentA, Energy.CurrentForKineticEnergy(2.7), 3);
    }

    [Fact]
    public void WhenMomentumIsComputedThenItIsPointThreeTimesFieldTimesRadius()
    {
        double i = 20;
        double b = 0.0044 * i - 8e-8 * i * i * i;
        Assert.Equal(b, Energy.Field.FieldT(i), 12);
        Assert.Equal(1000 * 0.299792458 * b * 0.203, Energy.MomentumMeV(i), 9);
        double p = Energy.MomentumMeV(i), m = 0.51099895;
        Assert.Equal(Math.Sqrt(p * p + m * m) - m, Energy.KineticEnergyMeV(i), 12);
    }

    [Fact]
    public void WhenAtFullCurrentThenTheFieldExceeds2000GaussAndEnergyRisesMonotonically()
    {
        Assert.True(Energy.Field.FieldT(50) >= 0.2);
        double previous = -1;
        for (double i = 0; i <= 50; i += 0.5)
        {
            double e = Energy.KineticEnergyMeV(i);
            Assert.True(e > previous || i == 0);
            previous = e;
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0)]
    [InlineData(2.7)]
    [InlineData(5.0)]
    [InlineData(10.0)]
    public void WhenAnEnergyIsRequestedThenTheCurrentFoundSelectsIt(double mev)
    {
        double current = Energy.CurrentForKineticEnergy(mev);
        Assert.InRange(current, 0, 50);
        Assert.Equal(mev, Energy.KineticEnergyMeV(current), 9);
    }

    [Fact]
    public void WhenAnEnergyIsBeyondTheCalibrationsPeakThenNoCurrentIsFound()
    {
        Assert.True(double.IsNaN(Energy.CurrentForKineticEnergy(100)));
    }
}
