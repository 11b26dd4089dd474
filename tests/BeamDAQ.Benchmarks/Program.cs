using BeamDAQ.Benchmarks;

// beamdaq-bench [--quick] [--out FILE] [SUITE...]: runs the named suites (all when none is named) and
// prints their Markdown sections; with --out they are also written to FILE. beamdaq-bench --list: the suites' names.
// beamdaq-bench --child NAME ARG...: the second process of a two-process suite (see IBenchmarkChild).
if (args is ["--child", var childName, .. var childArguments])
{
    var child = typeof(IBenchmarkChild).Assembly.GetTypes()
        .Where(t => typeof(IBenchmarkChild).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .Select(t => (IBenchmarkChild)Activator.CreateInstance(t)!)
        .SingleOrDefault(c => c.Name == childName);
    if (child is null)
    {
        Console.Error.WriteLine($"beamdaq-bench: unknown child mode {childName}");
        return 2;
    }
    return child.Run(childArguments);
}

var suites = typeof(IBenchmarkSuite).Assembly.GetTypes()
    .Where(t => typeof(IBenchmarkSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();

if (args is ["--list"])
{
    foreach (var suite in suites) Console.WriteLine(suite.Name);
    return 0;
}

bool quick = args.Contains("--quick");
int outIndex = Array.IndexOf(args, "--out");
string? outFile = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : null;
var names = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (outIndex < 0 || i != outIndex + 1)).ToHashSet();
var unknown = names.Where(n => suites.All(s => s.Name != n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"beamdaq-bench: unknown suite(s) {string.Join(", ", unknown)}; known: {string.Join(", ", suites.Select(s => s.Name))}");
    return 2;
}

var sections = new List<string>();
foreach (var suite in suites.Where(s => names.Count == 0 || names.Contains(s.Name)))
{
    Console.Error.WriteLine($"beamdaq-bench: running {suite.Name}{(quick ? " (quick)" : "")} ...");
    string section = suite.Run(quick);
    Console.WriteLine(section);
    sections.Add(section);
}
if (outFile is not null)
    File.WriteAllText(outFile, string.Join(Environment.NewLine + Environment.NewLine, sections) + Environment.NewLine);
return 0;
