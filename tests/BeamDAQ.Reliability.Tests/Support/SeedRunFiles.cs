using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>A valid run file held in memory, with where each record starts and ends.</summary>
public sealed record SeedRunFile(byte[] Bytes, IReadOnlyList<(long Offset, long End, string Topic)> Records);

/// <summary>Small, complete run files written by the production <see cref="RunFileWriter"/>: run.begin, events, status, alarm, run.end.</summary>
public static class SeedRunFiles
{
    public static IReadOnlyList<SeedRunFile> Build(Random random, int count, int eventsPerFile = 8)
    {
        using var dir = new TempDirectory();
        var files = new List<SeedRunFile>();
        for (int f = 0; f < count; f++)
        {
            string path = dir.File($"seed-{f}.bdq");
            using (var writer = RunFileWriter.Create(path, new RunFileWriterOptions { IdleFlushTimer = false }))
            {
                foreach (var message in Messages(random, (uint)(f + 1), eventsPerFile))
                    writer.Append(message.Topic, message.Payload);
            }
            files.Add(Load(path));
        }
        return files;
    }

    /// <summary>The messages of one short run, in the order the daq records them.</summary>
    public static IEnumerable<WireMessage> Messages(Random random, uint run, int events)
    {
        ulong seq = 1;
        yield return new(Topics.RunBegin, MapMessage.EncodeToArray(Topics.RunBegin, WireCorpus.RunBegin(random, run).ToMap(), seq++));
        for (int e = 1; e <= events; e++)
        {
            yield return new(Topics.Event, EventCodec.EncodeToArray(WireCorpus.Event(random, (ulong)e, 1 + random.Next(2), random.Next(16, 64), seq++)));
            if (e % 4 == 0) yield return new(Topics.DaqStatus, MapMessage.EncodeToArray(Topics.DaqStatus, WireCorpus.Status(random, 0).ToMap(), seq++));
        }
        yield return new(Topics.Alarm, MapMessage.EncodeToArray(Topics.Alarm, WireCorpus.Alarm(random).ToMap(), seq++));
        yield return new(Topics.RunEnd, MapMessage.EncodeToArray(Topics.RunEnd, WireCorpus.RunEnd(random, run).ToMap(), seq++));
    }

    public static SeedRunFile Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var records = new List<(long, long, string)>();
        using var reader = RunFileReader.FromMemory(bytes);
        while (reader.TryRead(out var record)) records.Add((record.Offset, record.EndOffset, record.Topic));
        if (reader.EndState != RunFileEndState.CleanEnd || !reader.EndsWithRunEnd)
            throw new InvalidOperationException($"seed file {path} is not complete: {reader.EndDescription}");
        return new SeedRunFile(bytes, records);
    }
}
