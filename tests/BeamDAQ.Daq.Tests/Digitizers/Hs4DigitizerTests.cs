using System.Reflection;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Hs4;
using BeamDAQ.Daq.Digitizers.Hs4.Interop;
using BeamDAQ.Daq.Digitizers.Hs4.Native;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Daq.Tests.Digitizers;

/// <summary>The HS4 driver against a recording fake of the libtiepie-hw C API.</summary>
public sealed class Hs4DigitizerTests
{
    private readonly RecordingLibTiePie _lib = new();
    private readonly VirtualClock _clock = new();

    private static DigitizerSettings Settings(
        int bits = 12, double rate = 50e6, int length = 1000, double pre = 0.2, double range = 0.8,
        TriggerEdge edge = TriggerEdge.Rising, TimeSpan? timeout = null, params ChannelSettings[] channels) =>
        new(bits, rate, length, pre, channels.Length > 0 ? channels : [new ChannelSettings(1, true, range)], TriggerEdge: edge, TriggerTimeout: timeout);

    private Hs4Digitizer Open()
    {
        var provider = new Hs4Provider(_lib, _clock);
        var digitizer = provider.TryOpen("27710");
        Assert.NotNull(digitizer);
        return Assert.IsType<Hs4Digitizer>(digitizer);
    }

    [Fact]
    public void WhenConfiguredThenAutoResolutionIsSwitchedOffBeforeTheResolutionIsSet()
    {
        using var hs4 = Open();
        hs4.Configure(Settings(bits: 14, rate: 3.125e6));

        int auto = _lib.IndexOf($"OscilloscopeSetAutoResolutionMode({TiePieConstants.AutoResolutionDisabled})");
        int resolution = _lib.IndexOf("OscilloscopeSetResolution(14)");
        int rate = _lib.IndexOf("OscilloscopeSetSampleRate(");
        Assert.True(auto >= 0, "auto-resolution must be set to DISABLED");
        Assert.True(auto < resolution, "auto-resolution off must come before the resolution");
        Assert.True(resolution < rate, "the resolution must be set before the sample rate it limits");
        Assert.True(_lib.IndexOf($"OscilloscopeSetMeasureMode({TiePieConstants.MeasureModeBlock})") is >= 0 and var mode && mode < auto);
    }

    [Fact]
    public void WhenConfiguredWithoutTimeoutThenTheTriggerTimeoutIsInfiniteAndRecordedAsNull()
    {
        using var hs4 = Open();
        var applied = hs4.Configure(Settings());

        Assert.Contains("OscilloscopeTriggerSetTimeout(-1)", _lib.Calls);
        Assert.Null(applied.TriggerTimeout);
    }

    [Fact]
    public void WhenConfiguredThenEveryChannelTriggerIsOffAndEveryOtherTriggerInputDisabled()
    {
        using var hs4 = Open();
        hs4.Configure(Settings());

        for (int ch = 0; ch < 4; ch++)
            Assert.Contains($"OscilloscopeChannelTriggerSetEnabled({ch}, False)", _lib.Calls);
        Assert.DoesNotContain(_lib.Calls, c => c.StartsWith("OscilloscopeChannelTriggerSetEnabled", StringComparison.Ordinal) && c.EndsWith("True)", StringComparison.Ordinal));
        for (int input = 0; input < 3; input++)
            Assert.Contains($"DeviceTriggerInputSetEnabled({input}, False)", _lib.Calls);
    }

    [Theory]
    [InlineData(TriggerEdge.Rising, TiePieConstants.TriggerKindRisingEdge)]
    [InlineData(TriggerEdge.Falling, TiePieConstants.TriggerKindFallingEdge)]
    public void WhenConfiguredThenExt1GetsTheRequestedEdgeAndIsEnabledAsTheLastCall(TriggerEdge edge, ulong kind)
    {
        using var hs4 = Open();
        var applied = hs4.Configure(Settings(edge: edge));

        Assert.Contains($"DeviceTriggerGetInputIndexById(0x{TiePieConstants.TriggerInputIdExt1:x})", _lib.Calls);
        int setKind = _lib.IndexOf($"DeviceTriggerInputSetKind(1, {kind})");
        int enable = _lib.IndexOf("DeviceTriggerInputSetEnabled(1, True)");
        Assert.True(setKind >= 0 && enable > setKind, "EXT1 (index 1) gets its kind, then is enabled");
        Assert.Equal(_lib.Calls.Count - 1, enable); // the trigger source is armed last
        Assert.Equal(edge, applied.TriggerEdge);
        Assert.Equal("EXT1", applied.TriggerInput);
    }

    [Fact]
    public void WhenARangeSnapsUpThenTheAppliedSettingsHoldTheLibrarysValueAndItsLsb()
    {
        using var hs4 = Open();
        var applied = hs4.Configure(Settings(bits: 12, range: 0.5));

        var ch = Assert.Single(applied.Channels);
        Assert.Equal(0.8, ch.RangeVolts);
        Assert.Equal(2 * 0.8 / 4096, ch.VoltsPerCode, 15);
        Assert.Contains("OscilloscopeChannelSetRange(0, 0.5)", _lib.Calls);
    }

    [Fact]
    public void WhenChannelsAreNotListedThenTheyAreDisabledAndOnlyListedOnesAreSetUp()
    {
        using var hs4 = Open();
        hs4.Configure(Settings(channels: [new ChannelSettings(2, true, 2, Coupling.AC)]));

        Assert.Contains("OscilloscopeChannelSetEnabled(0, False)", _lib.Calls);
        Assert.Contains("OscilloscopeChannelSetEnabled(1, True)", _lib.Calls);
        Assert.Contains($"OscilloscopeChannelSetCoupling(1, {TiePieConstants.CouplingAcVolt})", _lib.Calls);
        Assert.DoesNotContain(_lib.Calls, c => c.StartsWith("OscilloscopeChannelSetRange(0,", StringComparison.Ordinal));
    }

    [Fact]
    public void WhenTheLibraryRefusesAValueThenASettingsExceptionNamesTheKeyAndTheLibrarysMessage()
    {
        using var hs4 = Open();
        _lib.FailNext("OscilloscopeSetPreSampleRatio", TiePieStatus.InvalidValue, "Invalid value");

        var e = Assert.Throws<DigitizerSettingsException>(() => hs4.Configure(Settings(pre: 0.3)));
        Assert.Equal("pre_sample_ratio", e.Key);
        Assert.Contains("TIEPIE_HW_STATUS_INVALID_VALUE", e.Message);
        Assert.Contains("Invalid value", e.Message);
        Assert.Contains("tiepie_hw_oscilloscope_set_pre_sample_ratio", e.Message);
    }

    [Fact]
    public void WhenTheLibraryClipsAValueThenASettingsExceptionQuotesTheClippedValue()
    {
        using var hs4 = Open();
        _lib.FailNext("OscilloscopeSetSampleRate", TiePieStatus.ValueClipped, "Value clipped");

        var e = Assert.Throws<DigitizerSettingsException>(() => hs4.Configure(Settings(rate: 40e6)));
        Assert.Equal("sample_rate_hz", e.Key);
        Assert.Contains("clipped", e.Message);
    }

    [Fact]
    public void WhenSettingsBreakTheHs4LimitsThenNothingReachesTheLibrary()
    {
        using var hs4 = Open();
        int before = _lib.Calls.Count;

        var e = Assert.Throws<DigitizerSettingsException>(() => hs4.Configure(Settings(bits: 16, rate: 1e6)));
        Assert.Equal("sample_rate_hz", e.Key);
        Assert.Contains("195.313 kSa/s", e.Message);
        Assert.Equal(before, _lib.Calls.Count);
    }

    [Fact]
    public void WhenTheDeviceIsGoneDuringConfigureThenDigitizerGoneException()
    {
        using var hs4 = Open();
        _lib.Device.Removed = true;

        var e = Assert.Throws<DigitizerGoneException>(() => hs4.Configure(Settings()));
        Assert.Contains("OBJECT_GONE", e.Message);
        Assert.Throws<DigitizerGoneException>(hs4.Arm);
    }

    [Fact]
    public void WhenAnUnexpectedStatusIsReportedThenALibTiePieExceptionNamesFunctionAndStatus()
    {
        using var hs4 = Open();
        hs4.Configure(Settings());
        _lib.FailNext("OscilloscopeStart", TiePieStatus.MeasurementRunning, "A measurement is already running");

        var e = Assert.Throws<LibTiePieException>(hs4.Arm);
        Assert.Equal("tiepie_hw_oscilloscope_start", e.Function);
        Assert.Equal("TIEPIE_HW_STATUS_MEASUREMENT_RUNNING", e.Status);
        Assert.Contains("already running", e.Message);
    }

    [Fact]
    public void WhenReadThenVoltsBecomeCodesWithTheRangeLsbAndASaturatedChannelIsFlaggedOverRange()
    {
        using var hs4 = Open();
        var applied = hs4.Configure(Settings(bits: 12, length: 8, pre: 0.25, channels:
        [
            new ChannelSettings(1, true, 0.8),
            new ChannelSettings(3, true, 0.2),
        ]));
        // lsb(0.8 V, 12 bit) = 0.390625 mV; lsb(0.2 V, 12 bit) = 97.65625 µV (HS4 manual §3.3 example)
        _lib.Device.Data[0] = [0f, 0.1f, -0.1f, 0.000390625f * 3.4f, 0.000390625f * 3.6f, 0.5f, -0.5f, 0.79f];
        _lib.Device.Data[2] = [0f, 0.2f, 0f, 0f, 0f, 0f, 0f, 0f];
        var block = new AcquiredBlock(applied);

        hs4.Arm();
        Assert.Equal(WaitOutcome.DataReady, hs4.WaitForData(TimeSpan.FromSeconds(1), CancellationToken.None));
        hs4.Read(block);

        Assert.Equal(8, block.SampleCount);
        Assert.Equal(2, block.ValidPreSamples);
        Assert.Equal(new short[] { 0, 256, -256, 3, 4, 1280, -1280, 2022 }, block.SamplesOf(0));
        Assert.Equal(2047, block.SamplesOf(1)[1]); // +0.2 V on ±0.2 V: the end code
        Assert.Equal(EventFlags.OverRangeChannel3, block.Flags);
        Assert.Contains("OscilloscopeGetData(channels=0+2, start=0, count=8)", _lib.Calls);
    }

    [Fact]
    public void WhenTheTriggerCameEarlyThenOnlyValidPreSamplesAreReadAndTheEventIsFlagged()
    {
        using var hs4 = Open();
        var applied = hs4.Configure(Settings(length: 100, pre: 0.5));
        _lib.Device.ValidPreSamples = 30;
        _lib.Device.TimeoutTriggered = true;
        var block = new AcquiredBlock(applied);

        hs4.Arm();
        hs4.WaitForData(TimeSpan.FromSeconds(1), CancellationToken.None);
        hs4.Read(block);

        Assert.Contains("OscilloscopeGetData(channels=0, start=20, count=80)", _lib.Calls);
        Assert.Equal(80, block.SampleCount);
        Assert.Equal(30, block.ValidPreSamples);
        Assert.Equal(EventFlags.IncompletePreSamples | EventFlags.TriggerTimeout, block.Flags);
    }

    [Fact]
    public void WhenTheDeviceIsRemovedWhileWaitingThenWaitReportsItAndReadThrowsGone()
    {
        using var hs4 = Open();
        var applied = hs4.Configure(Settings());
        _lib.Device.DataReadyAfterPolls = int.MaxValue;
        _lib.Device.OnPoll = polls => { if (polls == 3) _lib.Device.Removed = true; };

        hs4.Arm();
        Assert.Equal(WaitOutcome.DeviceRemoved, hs4.WaitForData(TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Throws<DigitizerGoneException>(() => hs4.Read(new AcquiredBlock(applied)));
        Assert.Equal(WaitOutcome.DeviceRemoved, hs4.WaitForData(TimeSpan.FromSeconds(1), CancellationToken.None));
        hs4.Disarm(); // safe on a gone device
    }

    [Fact]
    public void WhenNoTriggerArrivesThenTheWatchdogExpiresAfterItsTimeOnTheInjectedClock()
    {
        using var hs4 = Open();
        hs4.Configure(Settings());
        _lib.Device.DataReadyAfterPolls = int.MaxValue;
        var start = _clock.UtcNow;

        hs4.Arm();
        Assert.Equal(WaitOutcome.WatchdogExpired, hs4.WaitForData(TimeSpan.FromSeconds(2), CancellationToken.None));
        Assert.Equal(start + TimeSpan.FromSeconds(2), _clock.UtcNow);
    }

    [Fact]
    public void WhenCancelledThenWaitReturnsCancelled()
    {
        using var hs4 = Open();
        hs4.Configure(Settings());
        _lib.Device.DataReadyAfterPolls = int.MaxValue;
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        hs4.Arm();
        Assert.Equal(WaitOutcome.Cancelled, hs4.WaitForData(TimeSpan.FromSeconds(2), cts.Token));
    }

    [Fact]
    public void WhenDisposedThenTheOscilloscopeHandleIsClosedExactlyOnce()
    {
        var hs4 = Open();
        int closedBefore = _lib.Closed.Count;
        hs4.Dispose();
        hs4.Dispose();

        Assert.Equal(closedBefore + 1, _lib.Closed.Count);
        Assert.False(_lib.Device.InUse);
    }

    [Fact]
    public void WhenTheSerialIsNotAttachedThenTryOpenReturnsNullAndClosesNothingItDidNotOpen()
    {
        var provider = new Hs4Provider(_lib, _clock);
        Assert.Null(provider.TryOpen("99999"));
        Assert.Empty(_lib.Closed);
    }

    [Fact]
    public void WhenTheSerialIsNotANumberThenASettingsExceptionSaysWhatASerialLooksLike()
    {
        var provider = new Hs4Provider(_lib, _clock);
        var e = Assert.Throws<DigitizerSettingsException>(() => provider.TryOpen("HS4-1"));
        Assert.Equal("serial", e.Key);
        Assert.Contains("digits", e.Message);
    }

    [Fact]
    public void WhenListingThenOnlyHs4sAreListedAndEveryListItemIsClosed()
    {
        _lib.Devices.Add(new FakeTiePieDevice { SerialNumber = 30001, ProductId = 22, Name = "Handyscope HS5-540XMS" });
        _lib.Devices.Add(new FakeTiePieDevice { SerialNumber = 27711, Name = "Handyscope HS4-25" });
        using var provider = new Hs4Provider(_lib, _clock);

        var devices = provider.ListDevices();

        Assert.Equal(["27710", "27711"], devices.Select(d => d.SerialNumber));
        Assert.All(devices, d => Assert.StartsWith("libtiepie-hw 1.1.13", d.DriverVersion));
        Assert.Equal(3, _lib.Closed.Count);
        provider.Dispose();
        Assert.Equal(1, _lib.InitCount);
        Assert.Equal(1, _lib.FiniCount);
    }

    [Fact]
    public void WhenTheDeviceIsOpenElsewhereThenTryOpenReturnsNull()
    {
        _lib.Device.InUse = true;
        var provider = new Hs4Provider(_lib, _clock);
        Assert.Null(provider.TryOpen(null));
        Assert.Null(provider.TryOpen("27710"));
    }

    [Fact]
    public void WhenTheLibraryIsNotInstalledThenTheErrorSaysWhatToInstall()
    {
        // Only meaningful where libtiepie-hw is absent, which is the case on build machines.
        if (File.Exists("/usr/lib/x86_64-linux-gnu/" + LibTiePieNative.LibraryName) || File.Exists("/usr/lib/" + LibTiePieNative.LibraryName)) return;
        using var provider = new Hs4Provider();
        var e = Assert.Throws<LibTiePieException>(() => provider.ListDevices());
        Assert.Contains(LibTiePieNative.LibraryName, e.Message);
        Assert.Contains("docs/hardware.md", e.Message);
    }

    [Fact]
    public void TheNativeLayerStaysInternalAndNoPublicMemberExposesAHandle()
    {
        var assembly = typeof(Hs4Digitizer).Assembly;
        Type[] nativeTypes = [typeof(LibTiePieNative), typeof(ILibTiePie), typeof(CheckedLibTiePie), typeof(TiePieHandle), typeof(NativeLibTiePie)];
        Assert.All(nativeTypes, t => Assert.False(t.IsPublic, $"{t.Name} must stay internal"));

        var leaks = assembly.GetExportedTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Select(m => (Type: t, Member: m)))
            .Where(x => MemberTypes(x.Member).Any(mt => mt == typeof(IntPtr) || mt == typeof(UIntPtr) || mt.IsPointer || typeof(System.Runtime.InteropServices.SafeHandle).IsAssignableFrom(mt)))
            .Select(x => $"{x.Type.Name}.{x.Member.Name}")
            .ToList();
        Assert.Empty(leaks);
    }

    private static IEnumerable<Type> MemberTypes(MemberInfo member) => member switch
    {
        PropertyInfo p => [p.PropertyType],
        FieldInfo f => [f.FieldType],
        MethodInfo m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType),
        ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
        _ => [],
    };
}
