namespace BeamDAQ.Benchmarks;

/// <summary>
/// One area of docs/performance.md: measures BeamDAQ and its peer in the same run and returns a Markdown
/// section (a table of figures, the targets, and the command that reproduces it).
/// </summary>
public interface IBenchmarkSuite
{
    /// <summary>Short name used on the command line: <c>beamdaq-bench NAME</c>.</summary>
    string Name { get; }

    /// <summary>Runs the measurements; <paramref name="quick"/> shrinks them to a smoke run for tests.</summary>
    string Run(bool quick);
}
