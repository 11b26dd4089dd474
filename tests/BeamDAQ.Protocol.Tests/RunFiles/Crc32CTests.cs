using System.Text;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Tests.RunFiles.Support;

namespace BeamDAQ.Protocol.Tests.RunFiles;

public sealed class Crc32CTests
{
    // RFC 3720 (iSCSI) appendix B.4 and the CRC catalogue's check value.
    public static TheoryData<string, uint> KnownVectors => new()
    {
        { "", 0x00000000 },
        { Convert.ToHexString(Encoding.ASCII.GetBytes("123456789")), 0xE3069283 },
        { new string('0', 64), 0x8A9136AA },
        { new string('F', 64), 0x62A8AB43 },
        { Convert.ToHexString([.. Enumerable.Range(0, 32).Select(i => (byte)i)]), 0x46DD794E },
        { Convert.ToHexString([.. Enumerable.Range(0, 32).Select(i => (byte)(31 - i))]), 0x113FDB5C },
    };

    [Theory]
    [MemberData(nameof(KnownVectors))]
    public void WhenComputingAPublishedVectorThenBothPathsGiveThePublishedValue(string hex, uint expected)
    {
        byte[] data = Convert.FromHexString(hex);
        Assert.Equal(expected, Crc32C.Compute(data));
        Assert.Equal(expected, Crc32C.ComputeWithTable(data));
    }

    [Fact]
    public void WhenHardwareAndTablePathsSeeEveryLengthAndAlignmentThenTheyAgree()
    {
        // Lengths cover the tail loop, the 3×256 and 3×8192 interleaved blocks and their boundaries.
        var random = new Random(20260301);
        byte[] buffer = new byte[3 * 8192 * 2 + 4096];
        random.NextBytes(buffer);
        var lengths = Enumerable.Range(0, 1100)
            .Concat([3 * 256 - 1, 3 * 256, 3 * 256 + 1, 3 * 8192 - 1, 3 * 8192, 3 * 8192 + 1, 3 * 8192 + 3 * 256 + 7, 2 * 3 * 8192 + 4000])
            .Concat(Enumerable.Range(0, 200).Select(_ => random.Next(0, 2 * 3 * 8192)));
        foreach (int length in lengths)
            for (int start = 0; start < 8; start += 3)
            {
                var slice = buffer.AsSpan(start, length);
                Assert.True(Crc32C.Compute(slice) == Crc32C.ComputeWithTable(slice), $"length {length} at offset {start}");
            }
    }

    [Fact]
    public void WhenDataIsFedInPiecesThenAppendEqualsTheWholeComputation()
    {
        byte[] data = TestPayloads.Make(50_000, 7);
        uint whole = Crc32C.Compute(data);
        foreach (int cut in new[] { 0, 1, 9, 767, 768, 24_576, 24_577, 49_999, 50_000 })
            Assert.Equal(whole, Crc32C.Append(Crc32C.Compute(data.AsSpan(0, cut)), data.AsSpan(cut)));
    }

    [Fact]
    public void WhenComparedWithThePythonReferenceOfTheDocsThenEveryValueAgrees()
    {
        var random = new Random(11);
        var inputs = Enumerable.Range(0, 60).Select(i => TestPayloads.Make(i < 20 ? i : random.Next(0, 30_000), 100 + i)).ToList();
        string stdout = PythonScripts.Check("crc", stdin: string.Join('\n', inputs.Select(Convert.ToHexString)) + "\n");
        var pythonValues = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse).ToList();
        Assert.Equal(inputs.Select(i => Crc32C.Compute(i)), pythonValues);
    }
}
