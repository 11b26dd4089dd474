using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Monitor.Live;

/// <summary>The front end's latest heartbeat and when it arrived (a silent daq shows as an old heartbeat).</summary>
public sealed record DaqStatusView(DaqStatusMessage Status, DateTimeOffset ReceivedUtc);

/// <summary>
/// A fit of the accumulated spectrum of one channel, with what it was made from; <paramref name="ResponseFrom"/>
/// names the low-λ run whose response it fixed (null: the response was fitted).
/// </summary>
public sealed record LiveFit(
    int ChannelId,
    ulong? Run,
    Fitting.Results.FitResult Result,
    DateTimeOffset TimeUtc,
    long Entries,
    bool Final,
    bool Published,
    Fits.CalibrationSource? ResponseFrom = null);

/// <summary>A fit another process published on the <c>fit</c> topic (e.g. an offline refit), as received.</summary>
public sealed record ReceivedFit(FitMessage Fit, DateTimeOffset ReceivedUtc);

/// <summary>A fit that could not be made (the fit threw for this spectrum); shown beside the last good fit.</summary>
public sealed record FitFailure(int ChannelId, DateTimeOffset TimeUtc, long Entries, string Message);
