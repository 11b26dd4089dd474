namespace BeamDAQ.Control.Catalog;

/// <summary>A free-text logbook entry, optionally about one run. The text is stored exactly as written.</summary>
public sealed record LogbookEntry(DateTimeOffset TimeUtc, string Author, string Text, long? Run = null)
{
    /// <summary>The catalog's row id; 0 before it is stored.</summary>
    public long Id { get; init; }
}
