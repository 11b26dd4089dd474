namespace BeamDAQ.Protocol.Events;

/// <summary>The wire schema version carried as <c>v</c> in every map; it changes when a documented key changes.</summary>
public static class SchemaVersion
{
    public const int Current = 1;
}
