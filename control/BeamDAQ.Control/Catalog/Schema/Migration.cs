namespace BeamDAQ.Control.Catalog.Schema;

/// <summary>
/// One forward step of the catalog schema. Statements are shared SQL with the dialect's type tokens; they run in
/// one transaction together with the row that records the new version, so a step is applied entirely or not at all.
/// </summary>
internal sealed record Migration(int Version, string Description, IReadOnlyList<string> Statements);
