namespace BeamDAQ.Daq.Tests.Support;

/// <summary>A fresh directory under the system's temp directory, deleted with everything in it at the end.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "beamdaq-daq-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
