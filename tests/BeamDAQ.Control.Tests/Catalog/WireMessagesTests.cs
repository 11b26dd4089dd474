using System.Text.Json;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Tests.Catalog;

/// <summary>Published fit, slow-control and alarm messages become catalog records without losing a field.</summary>
public sealed class WireMessagesTests
{
    private static readonly long T = (new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero) - DateTimeOffset.UnixEpoch).Ticks * 100 + 123_456_789;

    [Fact]
    public void WhenAFitMessageIsConvertedThenEveryFieldAndTheFullMapAreKept()
    {
        var message = new FitMessage
        {
            Run = 7, TimeNs = T, Lambda = 2.21, LambdaError = 0.05, Converged = true, LambdaLow = 2.16, LambdaHigh = 2.26,
            Chi2 = 40.5, Ndf = 37, PValue = 0.32, Events = 3000, LambdaZeroFraction = 2.19, LambdaMean = 2.25,
            Model = "landau", Software = "BeamDAQ 0.1.0",
            Parameters = new Dictionary<string, object?> { ["gain_mv"] = 12.5, ["noise"] = double.NaN, ["bins"] = new List<object?> { 1L, 2L } },
        };

        var fit = message.ToFitRecord();

        Assert.Equal((7L, 2.21, 0.05, 2.16, 2.26, 40.5, 37L, 0.32, 2.19, true, "landau", "BeamDAQ 0.1.0"),
            (fit.Run, fit.Lambda, fit.LambdaError, fit.IntervalLow, fit.IntervalHigh, fit.Chi2, fit.Ndf, fit.PValue,
             fit.LambdaZeroFraction, fit.Converged, fit.Model, fit.SoftwareVersion));
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 30, 0, TimeSpan.Zero).AddTicks(1_234_560), fit.TimeUtc);   // to the microsecond
        using var json = JsonDocument.Parse(fit.ResultJson!);
        Assert.Equal(2.25, json.RootElement.GetProperty("lambda_mean").GetDouble());
        Assert.Equal(3000, json.RootElement.GetProperty("events").GetInt64());
        Assert.Equal(12.5, json.RootElement.GetProperty("params").GetProperty("gain_mv").GetDouble());
        Assert.Equal("NaN", json.RootElement.GetProperty("params").GetProperty("noise").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("params").GetProperty("bins").GetArrayLength());
    }

    [Fact]
    public void WhenAFailedFitPublishesNaNErrorsThenTheRecordHoldsNullsAndSaysItDidNotConverge()
    {
        var fit = new FitMessage { Run = 3, TimeNs = T, Lambda = 0.4, LambdaError = double.NaN, Chi2 = double.PositiveInfinity }.ToFitRecord();

        Assert.Null(fit.LambdaError);
        Assert.Null(fit.Chi2);
        Assert.False(fit.Converged);
        Assert.Equal("unspecified", fit.Model);
    }

    [Fact]
    public void WhenReadingsAndAlarmsAreConvertedThenTheyCarryTheRunAndTheWireFields()
    {
        var reading = new SlowControlMessage { TimeNs = T, Device = "magnet", Quantity = "current", Value = 12.5, Unit = "A" }.ToReading(4);
        var alarm = new AlarmMessage { TimeNs = T, Source = "daq", Severity = AlarmSeverity.Critical, Code = "device-lost", Message = "HS4 gone" }.ToAlarmRecord(null);

        Assert.Equal(new SlowControlReading(4, WireMessages.FromUnixNanoseconds(T), "magnet", "current", 12.5, "A"), reading);
        Assert.Equal(new AlarmRecord(null, WireMessages.FromUnixNanoseconds(T), "daq", "critical", "device-lost", "HS4 gone"), alarm);
    }
}
