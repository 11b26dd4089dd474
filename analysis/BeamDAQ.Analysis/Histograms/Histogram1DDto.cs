using System.Text.Json;
using System.Text.Json.Serialization;

namespace BeamDAQ.Analysis.Histograms;

/// <summary>
/// The plain, serialisable form of a <see cref="Histogram1D"/> (monitor, reports, fit JSON). Field names are
/// snake_case in JSON: <c>low_edge</c>, <c>high_edge</c>, <c>bin_count</c>, <c>counts</c>, <c>underflow</c>,
/// <c>overflow</c>, <c>rejected</c>, <c>entries</c>, <c>finite_entries</c>, <c>sum</c>, <c>sum_of_squares</c>.
/// </summary>
public sealed class Histogram1DDto
{
    public double LowEdge { get; set; }
    public double HighEdge { get; set; }
    public int BinCount { get; set; }
    public long[] Counts { get; set; } = [];
    public long Underflow { get; set; }
    public long Overflow { get; set; }
    public long Rejected { get; set; }
    public long Entries { get; set; }
    public long FiniteEntries { get; set; }
    public double Sum { get; set; }
    public double SumOfSquares { get; set; }
}

internal static class HistogramJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
