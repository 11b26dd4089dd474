using System.Diagnostics;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Reliability.Tests.BadInput;

/// <summary>
/// Fuzzed wire messages through every decoder a consumer uses: random bytes, byte-level mutations of valid payloads
/// of all seven topics, and well-formed maps with wrong, missing or future-version keys. Nothing may crash or hang;
/// every rejection is a typed error (a MessagePack format error with an offset inside the input, or a typed-message
/// error naming the topic and key); nothing allocates what a header merely claims; the outcome counts add up.
/// </summary>
public sealed class WireMessageFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void WhenMutatedAndRandomWireMessagesAreDecodedThenEveryRejectionIsATypedErrorAndNothingCrashesOrHangs()
    {
        int inputs = Budget.WireInputs;
        var result = Eventually.Within(TimeSpan.FromMinutes(5), "the wire fuzz", () => Run(inputs, seed: 20250314));

        output.WriteLine($"{inputs:N0} inputs ({result.Random:N0} random, {result.ByteMutations:N0} byte mutations, {result.StructureMutations:N0} structural) in {result.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"envelope: {Describe(result.Envelope)}");
        output.WriteLine($"typed:    {Describe(result.Typed)}");
        output.WriteLine($"slowest input {result.Slowest.TotalMilliseconds:F2} ms; largest allocation {result.WorstAllocation:N0} bytes for a {result.WorstAllocationInput:N0}-byte input");

        Assert.True(result.Failures.Count == 0, string.Join(Environment.NewLine, result.Failures.Take(20)));
        // Counters exact: every input got exactly one outcome from each decoder.
        Assert.Equal(inputs, result.Envelope.Values.Sum());
        Assert.Equal(inputs, result.Typed.Values.Sum());
        // The mix really exercised every class of outcome, so the assertion above is not vacuous.
        Assert.True(result.Typed[DecodeOutcome.Accepted] > 0, "some mutated inputs should still decode");
        Assert.True(result.Typed[DecodeOutcome.FormatErrorWithOffset] > 0, "some inputs should be malformed MessagePack");
        Assert.True(result.Typed[DecodeOutcome.TypedErrorNamingKey] > 0, "some inputs should be well-formed with wrong keys");
        Assert.True(result.Slowest < TimeSpan.FromSeconds(2), $"slowest input took {result.Slowest.TotalMilliseconds:F0} ms");
    }

    private static string Describe(Dictionary<DecodeOutcome, int> counts) =>
        string.Join(", ", counts.Select(c => $"{c.Key} {c.Value:N0}"));

    private sealed class FuzzResult
    {
        public Dictionary<DecodeOutcome, int> Envelope { get; } = Enum.GetValues<DecodeOutcome>().ToDictionary(o => o, _ => 0);
        public Dictionary<DecodeOutcome, int> Typed { get; } = Enum.GetValues<DecodeOutcome>().ToDictionary(o => o, _ => 0);
        public List<string> Failures { get; } = [];
        public int Random, ByteMutations, StructureMutations;
        public TimeSpan Slowest, Elapsed;
        public long WorstAllocation, WorstAllocationInput;
    }

    private static FuzzResult Run(int inputs, int seed)
    {
        var random = new Random(seed);
        var mutator = new Mutator(random);
        var corpus = WireCorpus.Build(random);
        var result = new FuzzResult();
        var total = Stopwatch.StartNew();
        var clock = new Stopwatch();

        for (int i = 0; i < inputs; i++)
        {
            var seedMessage = corpus[random.Next(corpus.Count)];
            string topic = seedMessage.Topic;
            byte[] input;
            int kind = random.Next(20);
            if (kind < 2)
            {
                input = mutator.RandomMessage();
                topic = Topics.All[random.Next(Topics.All.Count)];
                result.Random++;
            }
            else if (kind < 6)
            {
                input = mutator.MutateStructure(seedMessage.Payload);
                result.StructureMutations++;
            }
            else
            {
                input = mutator.MutateBytes(seedMessage.Payload, corpus[random.Next(corpus.Count)].Payload);
                result.ByteMutations++;
            }

            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            clock.Restart();
            var envelope = WireDecoding.Envelope(input);
            var typed = WireDecoding.Typed(topic, input);
            clock.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

            result.Envelope[envelope.Outcome]++;
            result.Typed[typed.Outcome]++;
            if (clock.Elapsed > result.Slowest) result.Slowest = clock.Elapsed;
            if (allocated > result.WorstAllocation) (result.WorstAllocation, result.WorstAllocationInput) = (allocated, input.Length);
            if (result.Failures.Count < 50)
            {
                string where = $"input {i} (seed {seed}, topic {topic}, {input.Length} bytes: {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 48)))})";
                if (envelope.Outcome == DecodeOutcome.Failure) result.Failures.Add($"envelope: {envelope.Detail} — {where}");
                if (typed.Outcome == DecodeOutcome.Failure) result.Failures.Add($"typed: {typed.Detail} — {where}");
                // Decoding may box each byte of the input and grow containers; it must never reserve what a header claims.
                long allowed = 256L * input.Length + 64 * 1024;
                if (allocated > allowed) result.Failures.Add($"allocated {allocated:N0} bytes (allowed {allowed:N0}) — {where}");
            }
        }
        result.Elapsed = total.Elapsed;
        return result;
    }
}
