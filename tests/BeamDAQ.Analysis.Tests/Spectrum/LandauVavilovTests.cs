using BeamDAQ.Analysis.Spectrum;

namespace BeamDAQ.Analysis.Tests.Spectrum;

public class LandauVavilovTests
{
    [Fact]
    public void WhenTheLeetechDiamondIsDescribedThenTheMostProbableDepositIsAboutAQuarterMeV()
    {
        var physics = new LandauVavilov();
        // DESIGN §6: about 0.23–0.24 MeV; the Geant4 template's most probable deposit is 0.229 MeV.
        Assert.InRange(physics.MostProbableMeV, 0.21, 0.245);
        Assert.InRange(physics.XiMeV, 0.0135, 0.0142);
        Assert.InRange(physics.CapInMostProbable, 11, 13);
    }

    [Fact]
    public void WhenTheDetectorIsThickerThenTheCapInMostProbableValuesFalls()
    {
        Assert.True(new LandauVavilov(ThicknessUm: 1000).CapInMostProbable < new LandauVavilov().CapInMostProbable);
    }

    [Fact]
    public void WhenTheDetectorIsNotThinForTheBeamThenValidationSaysSo()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LandauVavilov(KineticEnergyMeV: 0.3, ThicknessUm: 500).Validate());
        Assert.Contains("not thin", e.Message);
    }
}
