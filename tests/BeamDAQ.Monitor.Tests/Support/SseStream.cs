using System.Text.Json;

namespace BeamDAQ.Monitor.Tests.Support;

/// <summary>A Server-Sent Events client over HttpClient: reads the monitor's "update" events as JSON documents.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        _http = http;
        _response = response;
        _reader = reader;
    }

    public string ContentType => _response.Content.Headers.ContentType?.MediaType ?? "";

    public static async Task<SseStream> OpenAsync(string baseUrl)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
        var response = await http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        return new SseStream(http, response, reader);
    }

    /// <summary>The next update, or a failure after <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        string? eventName = null;
        while (true)
        {
            string? line = await _reader.ReadLineAsync(cancel.Token);
            if (line is null) throw new EndOfStreamException("the monitor closed the event stream");
            if (line.StartsWith("event: ", StringComparison.Ordinal)) eventName = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "update")
                return JsonDocument.Parse(line[6..]).RootElement.Clone();
        }
    }

    /// <summary>Reads updates until one satisfies <paramref name="predicate"/>.</summary>
    public async Task<JsonElement> UntilAsync(Func<JsonElement, bool> predicate, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) Assert.Fail($"no update with {what}");
            JsonElement update;
            try
            {
                update = await NextAsync(left);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no update with {what}");
                throw;
            }
            if (predicate(update)) return update;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        await Task.CompletedTask;
    }
}
