namespace BeamDAQ.Benchmarks;

/// <summary>
/// The second process of a two-process suite, run as <c>beamdaq-bench --child NAME ARG...</c> (found by
/// reflection, like the suites; not listed in the usage because only suites start it).
/// </summary>
public interface IBenchmarkChild
{
    /// <summary>The NAME after <c>--child</c>.</summary>
    string Name { get; }

    /// <summary>Runs with the remaining arguments; prints its result on stdout; returns the exit code.</summary>
    int Run(string[] arguments);
}
