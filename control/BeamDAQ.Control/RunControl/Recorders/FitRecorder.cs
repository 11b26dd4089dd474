using BeamDAQ.Control.Catalog;
using BeamDAQ.Protocol.Events;
using Serilog;

namespace BeamDAQ.Control.RunControl.Recorders;

/// <summary>
/// Fit results the analysis publishes on <c>fit</c> into the catalog, with the software version that made them
/// (the message's <c>software</c>) and the whole map as JSON. A fit of a run the catalog does not know, or a map that
/// is not a fit, is counted as rejected and logged with the reason — never stored half, never a crash.
/// </summary>
public sealed class FitRecorder(IRunCatalog catalog, ILogger log)
{
    private long _stored, _rejected;

    public long Stored => Interlocked.Read(ref _stored);
    public long Rejected => Interlocked.Read(ref _rejected);
    public string? LastRejection { get; private set; }

    public void OnFit(IReadOnlyDictionary<string, object?> map)
    {
        FitRecord record;
        try
        {
            record = FitMessage.FromMap(map).ToFitRecord();
            catalog.AddFit(record);
        }
        catch (Exception e) when (e is FormatException or CatalogException or ArgumentException)
        {
            long rejected = Interlocked.Increment(ref _rejected);
            LastRejection = e.Message;
            if (rejected <= 10 || rejected % 1000 == 0)
                log.Warning("fit not stored ({Rejected} rejected so far): {Error}", rejected, e.Message);
            return;
        }
        Interlocked.Increment(ref _stored);
        log.Information("fit of run {Run} stored: λ = {Lambda:0.####} ± {Error:0.####} ({Software})",
            record.Run, record.Lambda, record.LambdaError, record.SoftwareVersion);
    }
}
