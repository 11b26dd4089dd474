namespace BeamDAQ.Control.Facility.Server;

/// <summary>
/// A device's command interpreter behind a <see cref="LineServer"/>: one '\n'-terminated line in, at most one
/// line out. Implementations are called from several connections at once and must be thread-safe.
/// </summary>
public interface ILineProtocol
{
    /// <summary>Handles one command line (without its terminator); returns the reply, or null when the command has none.</summary>
    string? Handle(string line);
}
