using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BeamDAQ.Protocol.Tests.RunFiles.Support;

/// <summary>
/// Runs Python the way an analyst would: Debian's /usr/bin/python3 with python3-msgpack, and the read_bdq.py
/// example exactly as docs/format.md prints it (extracted from the document, so the document cannot rot).
/// </summary>
public static class PythonScripts
{
    public const string Interpreter = "/usr/bin/python3";

    public static string TestFile(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "RunFiles", .. parts]);

    public static string CheckScript => TestFile("Python", "check_bdq.py");

    private static readonly Lazy<string> ExampleDirectory = new(ExtractExamples);

    /// <summary>A directory holding read_bdq.py and live_bdq.py exactly as docs/format.md prints them.</summary>
    public static string DocExampleDirectory => ExampleDirectory.Value;

    public static string DocExampleScript => Path.Combine(DocExampleDirectory, "read_bdq.py");

    public static string LiveExampleScript => Path.Combine(DocExampleDirectory, "live_bdq.py");

    /// <summary>The code between the <c>&lt;!-- begin NAME --&gt;</c> and <c>&lt;!-- end NAME --&gt;</c> markers of docs/format.md.</summary>
    public static string ExtractExampleSource(string name)
    {
        string doc = File.ReadAllText(TestFile("docs", "format.md"));
        var match = Regex.Match(doc, $@"<!-- begin {Regex.Escape(name)} -->\s*```python\n(?<code>.*?)```\s*<!-- end {Regex.Escape(name)} -->", RegexOptions.Singleline);
        Assert.True(match.Success, $"docs/format.md lacks the <!-- begin {name} --> ```python ... ``` <!-- end {name} --> block");
        return match.Groups["code"].Value;
    }

    private static string ExtractExamples()
    {
        string directory = Directory.CreateTempSubdirectory("beamdaq-doc-examples-").FullName;
        foreach (var name in new[] { "read_bdq.py", "live_bdq.py" })
            File.WriteAllText(Path.Combine(directory, name), ExtractExampleSource(name));
        return directory;
    }

    /// <summary>Runs Python to completion within <paramref name="deadline"/>; returns (exit code, stdout, stderr).</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(IEnumerable<string> arguments, string? stdin = null, TimeSpan? deadline = null)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Interpreter}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var limit = deadline ?? TimeSpan.FromSeconds(60);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"python {string.Join(' ', start.ArgumentList)} did not finish within {limit.TotalSeconds} s");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs check_bdq.py in <paramref name="mode"/>; fails the test with Python's stderr if it fails.</summary>
    public static string Check(string mode, string? file = null, string? stdin = null)
    {
        var arguments = new List<string> { CheckScript, DocExampleDirectory, mode };
        if (file is not null) arguments.Add(file);
        var (exitCode, stdout, stderr) = Run(arguments, stdin);
        Assert.True(exitCode == 0, $"check_bdq.py {mode} exited with {exitCode}: {stderr}");
        return stdout;
    }
}
