using System.CommandLine;

namespace BeamDAQ.Protocol.Hosting;

/// <summary>
/// Runs a program's command tree with the exit-code contract of DESIGN §9: a parse error is bad usage (2),
/// an unhandled exception is a runtime failure (1) reported in one line on stderr.
/// </summary>
public static class CommandLineHost
{
    public static int Run(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                Console.Error.WriteLine($"{root.Name}: {error.Message}");
            Console.Error.WriteLine($"{root.Name}: run '{root.Name} --help' for usage");
            return ExitCodes.BadUsage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"{root.Name}: {e.Message}");
            return ExitCodes.BadUsage;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"{root.Name}: {e.GetType().Name}: {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }
}

/// <summary>Bad usage or an invalid configuration found after parsing: exit code 2 with this message.</summary>
public class UsageException(string message) : Exception(message);
