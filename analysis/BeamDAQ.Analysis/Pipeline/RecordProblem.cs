namespace BeamDAQ.Analysis.Pipeline;

/// <summary>
/// A record or message the analysis could not use: where it was (file offset, or −1 for a live message), its
/// topic and why. Problems are values the pipeline counts and reports, never exceptions that stop the stream.
/// </summary>
public sealed record RecordProblem(long Offset, string Topic, string Message)
{
    public override string ToString() => Offset >= 0 ? $"{Topic} record at offset {Offset}: {Message}" : $"{Topic} message: {Message}";
}
