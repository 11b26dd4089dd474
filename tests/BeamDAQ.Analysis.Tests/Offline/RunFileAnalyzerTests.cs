using BeamDAQ.Analysis.Offline;
using BeamDAQ.Analysis.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Analysis.Tests.Offline;

public sealed class RunFileAnalyzerTests : IDisposable
{
    private readonly TestRunFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static RunFileAnalysis Analyze(string path, int workers = 1, OfflineOptions? options = null) =>
        new RunFileAnalyzer(options ?? new OfflineOptions()).Analyze(path, workers);

    [Fact]
    public void WhenTheFileIsCleanThenEveryEventIsAnalysedAndTheRunMetadataIsRead()
    {
        var written = _files.Write("clean.bdq", events: 300, lambda: 1.5, run: 42, aperture: 6.9, missed: 2);
        var result = Analyze(written.Path);

        Assert.Null(result.Failure);
        Assert.Equal(RunFileEndState.CleanEnd, result.EndState);
        Assert.True(result.StartsWithRunBegin);
        Assert.True(result.EndsWithRunEnd);
        Assert.Equal(302, result.Records);
        Assert.Equal(300, result.Counters.Events);
        Assert.Equal(0, result.Counters.Undecodable);
        Assert.Equal(42UL, result.Run!.Run);
        Assert.True(result.Run.TryGetNumber("meta.exit_aperture_x_mm", out double aperture));
        Assert.Equal(6.9, aperture);
        Assert.Equal(2, result.Missed);   // the acquisition's own count from run.end
        Assert.Equal(0, result.TriggerGaps);
        Assert.Equal(300, result.Features.Count);

        // The amplitudes carry the electrons: zero-electron events sit at the pedestal, the others above it.
        var amplitudes = result.Features.Amplitudes(1);
        for (int i = 0; i < amplitudes.Length; i++)
        {
            if (written.Electrons[i] == 0) Assert.True(amplitudes[i] < 0.004, $"event {i + 1}: pedestal amplitude {amplitudes[i]}");
            else Assert.True(amplitudes[i] > 0.006, $"event {i + 1}: {written.Electrons[i]} electron(s), amplitude {amplitudes[i]}");
        }
        var spectrum = Assert.Single(result.Spectra);
        Assert.Equal(300, spectrum.Histogram.Entries);
    }

    [Fact]
    public void WhenARecordInTheMiddleDoesNotDecodeThenItIsReportedWithItsOffsetAndTheRestIsAnalysed()
    {
        long badOffset = -1;
        var written = _files.Write("undecodable.bdq", events: 200, lambda: 1, beforeEvent: (writer, index) =>
        {
            if (index != 100) return;
            badOffset = writer.BytesWritten;
            writer.Append(Topics.Event, [0x83, 0xA1, 0x76, 0x01, 0xFF]);   // a map that breaks off: not MessagePack
        });

        foreach (int workers in new[] { 1, 2 })
        {
            var result = Analyze(written.Path, workers);
            Assert.Equal(RunFileEndState.CleanEnd, result.EndState);
            Assert.Equal(200, result.Counters.Events);
            Assert.Equal(1, result.Counters.Undecodable);
            var problem = Assert.Single(result.Problems);
            Assert.Equal(badOffset, problem.Offset);
            Assert.Equal(Topics.Event, problem.Topic);
            Assert.Contains($"offset {badOffset}", problem.ToString());
        }
    }

    [Fact]
    public void WhenACrcIsDamagedInTheMiddleThenTheRecordIsSkippedWithItsOffsetAndTheRestIsAnalysed()
    {
        var written = _files.Write("damaged.bdq", events: 200, lambda: 1);
        var damaged = written.Records[151];   // run.begin is record 0: this is event 151
        TestRunFiles.DamagePayload(written.Path, damaged.Offset);

        foreach (int workers in new[] { 1, 2 })
        {
            var result = Analyze(written.Path, workers);
            Assert.Equal(RunFileEndState.CleanEnd, result.EndState);
            Assert.True(result.EndsWithRunEnd);
            Assert.False(result.Intact);
            var damage = Assert.Single(result.DamagedRecords);
            Assert.Equal(damaged.Offset, damage.Offset);
            Assert.Contains($"CRC mismatch in the record at offset {damaged.Offset}", damage.Message);
            Assert.Equal(199, result.Counters.Events);
            Assert.Equal(1, result.SkippedRecords);
            Assert.DoesNotContain(151UL, result.Features.Triggers);
            Assert.Contains(152UL, result.Features.Triggers);
        }
    }

    [Fact]
    public void WhenSkippingDamageIsOffThenReadingStopsAtTheDamagedRecord()
    {
        var written = _files.Write("stop.bdq", events: 200, lambda: 1);
        var damaged = written.Records[151];
        TestRunFiles.DamagePayload(written.Path, damaged.Offset);

        var result = Analyze(written.Path, 2, new OfflineOptions { SkipDamagedRecords = false });
        Assert.Equal(RunFileEndState.CrcMismatch, result.EndState);
        Assert.Equal(damaged.Offset, result.EndOffset);
        Assert.Equal(150, result.Counters.Events);
        Assert.Empty(result.DamagedRecords);
    }

    [Fact]
    public void WhenTwoDamagedRecordsFollowEachOtherThenReadingStopsAtTheSecond()
    {
        var written = _files.Write("twice.bdq", events: 100, lambda: 1);
        TestRunFiles.DamagePayload(written.Path, written.Records[40].Offset);
        TestRunFiles.DamagePayload(written.Path, written.Records[41].Offset);

        var result = Analyze(written.Path);
        Assert.Equal(RunFileEndState.CrcMismatch, result.EndState);
        Assert.Equal(written.Records[41].Offset, result.EndOffset);
        Assert.Equal(written.Records[40].Offset, Assert.Single(result.DamagedRecords).Offset);
        Assert.Equal(39, result.Counters.Events);
    }

    [Fact]
    public void WhenTheFileIsCutShortThenItIsATruncatedRecordAndTheWholeRecordsAreAnalysed()
    {
        var written = _files.Write("cut.bdq", events: 50, lambda: 1, runEnd: false);
        var last = written.Records[^1];
        TestRunFiles.Truncate(written.Path, last.Offset + 30);
        var result = Analyze(written.Path);
        Assert.Equal(RunFileEndState.TruncatedRecord, result.EndState);
        Assert.Equal(last.Offset, result.EndOffset);
        Assert.Equal(49, result.Counters.Events);
        Assert.Null(result.RunEnd);
    }

    [Fact]
    public void WhenTriggersAreMissingAndThereIsNoRunEndThenMissedCountsTheGaps()
    {
        var written = _files.Write("gaps.bdq", events: 100, lambda: 1, runEnd: false, skipTrigger: t => t is 10 or 11 or 50);
        foreach (int workers in new[] { 1, 2 })
        {
            var result = Analyze(written.Path, workers);
            Assert.Equal(3, result.TriggerGaps);
            Assert.Equal(3, result.Missed);
        }
    }

    [Fact]
    public void WhenAnalysedWithWorkersThenTheResultEqualsTheSingleThreadedOne()
    {
        var written = _files.Write("parallel.bdq", events: 1500, lambda: 2, channels: 2, samples: 256, pre: 64);
        var single = Analyze(written.Path, 1);
        var parallel = Analyze(written.Path, 3);
        Assert.Equal(single.Counters.Events, parallel.Counters.Events);
        Assert.Equal(single.Features.Triggers, parallel.Features.Triggers);
        foreach (int channel in new[] { 1, 2 })
        {
            Assert.Equal(single.Features.Amplitudes(channel), parallel.Features.Amplitudes(channel));
            Assert.Equal(single.Spectra[channel - 1].Histogram.Counts.ToArray(), parallel.Spectra[channel - 1].Histogram.Counts.ToArray());
        }
    }

    [Fact]
    public void WhenNoiseIsRequestedThenThePreTriggerNoiseOfTheGeneratorIsMeasured()
    {
        var written = _files.Write("noise.bdq", events: 200, lambda: 1);
        var result = Analyze(written.Path, 2, new OfflineOptions { Noise = BeamDAQ.Analysis.Characterization.NoiseRegion.PreTrigger, NoiseSegmentLength = 64 });
        var noise = Assert.Single(result.Noise);
        double expected = Math.Sqrt(TestRunFiles.NoiseVolts * TestRunFiles.NoiseVolts + TestRunFiles.Lsb * TestRunFiles.Lsb / 12);
        Assert.Equal(expected, noise.Rms, 0.03 * expected);
        Assert.Equal(200, noise.Events);
    }

    [Fact]
    public void WhenOneFileIsMissingThenTheOthersAreStillAnalysed()
    {
        var a = _files.Write("a.bdq", events: 40, lambda: 1, run: 1);
        var b = _files.Write("b.bdq", events: 60, lambda: 1, run: 2);
        string missing = Path.Combine(_files.Root, "missing.bdq");
        var results = new RunFileBatch(new OfflineOptions()).Analyze([a.Path, missing, b.Path]);
        Assert.Equal(40, results[0].Counters.Events);
        Assert.Contains("missing.bdq", results[1].Failure);
        Assert.Equal(60, results[2].Counters.Events);
        Assert.Equal(2UL, results[2].Run!.Run);
    }

    [Fact]
    public void WhenTheFileIsNotARunFileThenTheEndStateSaysSo()
    {
        string path = Path.Combine(_files.Root, "notes.txt");
        File.WriteAllText(path, "these are not the records you are looking for");
        var result = Analyze(path);
        Assert.Equal(RunFileEndState.BadMagic, result.EndState);
        Assert.Equal(0, result.Counters.Events);
        Assert.Contains("not a BeamDAQ run file", result.EndDescription);
    }
}
