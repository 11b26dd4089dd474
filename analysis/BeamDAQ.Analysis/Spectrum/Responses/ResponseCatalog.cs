using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Spectrum.Responses;

/// <summary>
/// Builds a response from its command-line name (DESIGN §9): <c>landau</c> (truncated at the beam's kinetic
/// energy, the default), <c>landau-untruncated</c>, <c>landau-gauss</c> (truncated Landau ⊗ Gauss),
/// <c>gauss</c>, <c>template:FILE</c> and <c>template-gauss:FILE</c> (deposits in MeV, one per line).
/// </summary>
public static class ResponseCatalog
{
    public const string Allowed = "landau, landau-untruncated, landau-gauss, gauss, template:FILE, template-gauss:FILE";

    public static SingleElectronResponse Create(string name, LandauVavilov physics)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name)
        {
            case "landau": return new TruncatedLandauResponse(Validated(physics));
            case "landau-untruncated": return new LandauResponse();
            case "landau-gauss": return new GaussianSmearedResponse(new TruncatedLandauResponse(Validated(physics)), "landau-gauss");
            case "gauss": return new GaussianResponse();
        }
        if (name.StartsWith("template:", StringComparison.Ordinal) && name.Length > "template:".Length)
            return TemplateResponse.FromFile(name["template:".Length..], name);
        if (name.StartsWith("template-gauss:", StringComparison.Ordinal) && name.Length > "template-gauss:".Length)
        {
            string file = name["template-gauss:".Length..];
            return new GaussianSmearedResponse(TemplateResponse.FromFile(file, "template:" + file), name);
        }
        throw new UsageException($"--response '{name}' is not known; allowed: {Allowed}");
    }

    private static LandauVavilov Validated(LandauVavilov physics)
    {
        try
        {
            physics.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageException(e.Message.Split(Environment.NewLine)[0]);
        }
        return physics;
    }
}
