using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace BeamDAQ.TestSupport;

/// <summary>
/// A [Fact] that ends as "skipped" (with the reason) instead of "failed" when the test or its class constructor
/// throws <see cref="SkipTestException"/>. xunit 2 has no run-time skip; tests that need something of the machine
/// (a PostgreSQL server, the privilege to mount a tmpfs) report its absence visibly this way, never as a pass.
/// </summary>
[XunitTestCaseDiscoverer("BeamDAQ.TestSupport.SkippableFactDiscoverer", "BeamDAQ.TestSupport")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SkippableFactAttribute : FactAttribute;

/// <summary>Thrown to report a test as skipped, with the reason as the skip message.</summary>
public sealed class SkipTestException(string reason) : Exception(reason);

public sealed class SkippableFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new SkippableTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
            discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

public sealed class SkippableTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippableTestCase() { }

    public SkippableTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(diagnosticMessageSink, display, options, method) { }

    public override async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments,
        ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        var bus = new SkipTranslatingMessageBus(messageBus);
        var summary = await base.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        summary.Failed -= bus.Skipped;
        summary.Skipped += bus.Skipped;
        return summary;
    }

    /// <summary>Turns a failure caused by <see cref="SkipTestException"/> into a skip; passes everything else on.</summary>
    private sealed class SkipTranslatingMessageBus(IMessageBus inner) : IMessageBus
    {
        private static readonly string SkipType = typeof(SkipTestException).FullName!;

        public int Skipped { get; private set; }

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && Array.IndexOf(failed.ExceptionTypes, SkipType) is var index and >= 0)
            {
                Skipped++;
                return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages[index]));
            }
            return inner.QueueMessage(message);
        }

        public void Dispose()
        {
            // The inner bus belongs to the runner.
        }
    }
}
