using System.Globalization;

namespace BeamDAQ.Control.Catalog;

/// <summary>
/// The catalog's one time convention: UTC, to the microsecond (PostgreSQL's resolution), so that a value reads
/// back exactly as it was stored in either backend; text form ISO 8601 with six decimals and 'Z'.
/// </summary>
public static class CatalogTime
{
    public const string TextFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static DateTimeOffset Normalize(DateTimeOffset time)
    {
        long ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - ticks % 10, TimeSpan.Zero);
    }

    public static string ToText(DateTimeOffset time) => Normalize(time).UtcDateTime.ToString(TextFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseText(string text) =>
        new(DateTime.SpecifyKind(DateTime.ParseExact(text, TextFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc));
}
