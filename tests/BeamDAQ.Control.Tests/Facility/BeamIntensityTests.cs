using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Beam;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.Tests.Facility.Support;

namespace BeamDAQ.Control.Tests.Facility;

public class BeamIntensityTests
{
    private static readonly BeamConfig Shipped = FacilityConfigLoader.Load(ConfigFiles.Facility).Beam;
    private static readonly JawPositions PaperEntrance = JawPositions.Centred(2.6, 1.8);

    public static TheoryData<double, double, double> PaperSettings => new()
    {
        { 1.2, 3.1, 0.7 },
        { 6.9, 3.1, 2.2 },
        { 9.9, 3.1, 2.8 },
        { 9.9, 20.6, 8.7 },
    };

    [Theory]
    [MemberData(nameof(PaperSettings))]
    public void WhenTheExitIsAtOneOfThePapersSettingsThenTheShippedCalibrationGivesItsLambdaWithin2Percent(double x, double y, double lambda)
    {
        var model = new BeamIntensityModel(Shipped);
        double predicted = model.Lambda(PaperEntrance, JawPositions.Centred(x, y));
        Assert.InRange(predicted / lambda, 0.98, 1.02);
    }

    [Fact]
    public void WhenTheProfileIsRefittedToThePaperThenItReproducesTheConfiguredNumbers()
    {
        var fit = BeamProfileCalibration.Fit(Shipped, BeamProfileCalibration.LeetechPaper);
        for (int i = 0; i < fit.PredictedLambda.Count; i++)
            Assert.InRange(fit.PredictedLambda[i] / BeamProfileCalibration.LeetechPaper[i].Lambda, 0.9999, 1.0001);
        Assert.Equal(Shipped.LambdaFullOpen, fit.Profile.LambdaFullOpen, 3);
        Assert.Equal(Shipped.SigmaXMm, fit.Profile.SigmaXMm, 4);
        Assert.Equal(Shipped.SigmaYMm, fit.Profile.SigmaYMm, 4);
        Assert.Equal(Shipped.EdgeTransparencyMm, fit.Profile.EdgeTransparencyMm, 4);
    }

    [Fact]
    public void WhenTheExitOpensInXOrYThenLambdaIncreasesMonotonically()
    {
        var model = new BeamIntensityModel(Shipped);
        double previousX = -1, previousY = -1;
        for (double a = 0; a <= 21.0 + 1e-9; a += 0.1)
        {
            double lx = model.Lambda(PaperEntrance, JawPositions.Centred(a, 3.1));
            double ly = model.Lambda(PaperEntrance, JawPositions.Centred(9.9, a));
            Assert.True(lx > previousX, $"λ({a:0.0} x 3.1) = {lx} not above {previousX}");
            Assert.True(ly > previousY, $"λ(9.9 x {a:0.0}) = {ly} not above {previousY}");
            previousX = lx;
            previousY = ly;
        }
        Assert.Equal(0, model.Lambda(PaperEntrance, JawPositions.Centred(0, 3.1))); // closed jaws pass nothing
    }

    [Fact]
    public void WhenTheEntranceIsAtItsReferenceThenItsFactorIsOneAndOpeningItRaisesLambda()
    {
        var model = new BeamIntensityModel(Shipped);
        Assert.Equal(1.0, model.EntranceFactor(PaperEntrance), 12);
        Assert.True(model.EntranceFactor(JawPositions.Centred(5, 5)) > 1.5);
        Assert.True(model.EntranceFactor(JawPositions.Centred(1, 1)) < 0.5);
    }

    [Fact]
    public void WhenTheExitOpeningIsOffAxisThenLessBeamPasses()
    {
        var model = new BeamIntensityModel(Shipped);
        double centred = model.Lambda(PaperEntrance, JawPositions.FromAperture(6.9, 3.1, 0, 0));
        double shifted = model.Lambda(PaperEntrance, JawPositions.FromAperture(6.9, 3.1, 4, 0));
        Assert.True(shifted < 0.8 * centred);
    }

    [Theory]
    [MemberData(nameof(PaperSettings))]
    public async Task WhenTheSimulatedCollimatorsMoveToAPaperSettingThenTheBeamPortReportsItsLambda(double x, double y, double lambda)
    {
        await using var facility = TestFacility.Start();
        await using var master = await facility.ConnectAsync(FacilityDevice.Collimators);
        await using var beam = await facility.ConnectAsync(FacilityDevice.Beam);
        Assert.Equal("OK", await master.QueryAsync(FormattableString.Invariant($"COLL EXIT APERTURE {x} {y}")));
        facility.Clock.AdvanceSeconds(10);
        Assert.Equal("SETTLED", await master.QueryAsync("COLL EXIT STATE?"));
        // Within 2 % including the jaws' ±5 µm positioning error.
        Assert.InRange(await beam.QueryNumberAsync("BEAM:LAMBDA?") / lambda, 0.98, 1.02);
    }

    [Fact]
    public async Task WhenTheBeamIsOffOrTheMagnetSelectsAnotherEnergyThenLambdaDrops()
    {
        await using var facility = TestFacility.Start();
        await using var beam = await facility.ConnectAsync(FacilityDevice.Beam);
        await using var magnet = await facility.ConnectAsync(FacilityDevice.Magnet);
        Assert.Equal("BeamDAQ,SIM-BEAM,BM0001,1.0", await beam.QueryAsync("*IDN?"));
        Assert.Equal(5, await beam.QueryNumberAsync("BEAM:RATE?"));
        Assert.Equal(2.7, await beam.QueryNumberAsync("BEAM:ENER?"), 4);
        Assert.Equal(2.8, await beam.QueryNumberAsync("BEAM:LAMBDA?"), 2);

        Assert.Equal("0,\"No error\"", await beam.CommandThenErrorAsync("BEAM OFF"));
        Assert.Equal("0", await beam.QueryAsync("BEAM?"));
        Assert.Equal(0, await beam.QueryNumberAsync("BEAM:LAMBDA?"));
        Assert.Equal("0,\"No error\"", await beam.CommandThenErrorAsync("BEAM ON"));

        Assert.Equal("0,\"No error\"", await magnet.CommandThenErrorAsync("OUTP OFF"));
        facility.Clock.AdvanceSeconds(10);
        Assert.Equal(0, await beam.QueryNumberAsync("BEAM:ENER?"));
        Assert.InRange(await beam.QueryNumberAsync("BEAM:LAMBDA?"), 0, 1e-5);
    }
}
