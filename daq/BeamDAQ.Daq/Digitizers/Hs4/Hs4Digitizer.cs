using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BeamDAQ.Daq.Digitizers.Hs4.Interop;
using BeamDAQ.Daq.Digitizers.Hs4.Native;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Daq.Digitizers.Hs4;

/// <summary>
/// A Handyscope HS4 over libtiepie-hw in block mode, triggered by the facility's TTL on EXT1. Configure
/// applies the settings in the order the library needs (block mode; auto-resolution off before the
/// resolution; channels; channel triggers off; timebase; infinite trigger time-out; EXT1 kind) and enables
/// the trigger input last; every value recorded is the one the library returned. Open it through
/// <see cref="Hs4Provider"/>.
/// </summary>
public sealed unsafe class Hs4Digitizer : IDigitizer
{
    /// <summary>How often WaitForData asks the library whether the block is ready or the device gone.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    private readonly CheckedLibTiePie _lib;
    private readonly TiePieHandle _scp;
    private readonly IDaqClock _clock;
    private readonly ushort _channelCount;
    private AppliedSettings? _applied;
    private AdcScale[] _scales = [];
    private int[] _enabledChannelIndex = [];
    private float[][] _buffers = [];
    private nint[] _pointers = [];
    private int _preSamples;
    private bool _gone;

    internal Hs4Digitizer(CheckedLibTiePie lib, TiePieHandle scp, string driverVersion, IDaqClock clock)
    {
        _lib = lib;
        _scp = scp;
        _clock = clock;
        _channelCount = lib.ChannelCount(scp);
        Identity = new DigitizerIdentity(lib.Name(scp), lib.SerialNumber(scp).ToString(System.Globalization.CultureInfo.InvariantCulture), driverVersion);
    }

    public DigitizerIdentity Identity { get; }

    /// <summary>Blocks whose data overflowed according to the library (not expected in block mode; counted, never dropped silently).</summary>
    public long DataOverflows { get; private set; }

    public AppliedSettings Configure(DigitizerSettings requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        EnsurePresent();
        Hs4Limits.ThrowIfInvalid(requested);
        if (requested.TriggerHoldOff != TimeSpan.Zero)
            throw new DigitizerSettingsException("trigger.holdoff_s", requested.TriggerHoldOff.TotalSeconds,
                "0 on a real HS4: libtiepie-hw 1.x has no trigger hold-off");
        if (requested.Channels.Any(c => c.Id > _channelCount))
            throw new DigitizerSettingsException("channels", string.Join(",", requested.Channels.Select(c => c.Id)), $"channels 1–{_channelCount} of this device");

        try
        {
            return ConfigureDevice(requested);
        }
        catch (DigitizerGoneException)
        {
            _gone = true;
            throw;
        }
    }

    private AppliedSettings ConfigureDevice(DigitizerSettings requested)
    {
        _applied = null;

        uint mode = _lib.SetMeasureMode(_scp, TiePieConstants.MeasureModeBlock);
        if (mode != TiePieConstants.MeasureModeBlock)
            throw new DigitizerSettingsException("measure_mode", "block", "block mode; this device did not accept it");

        // Auto-resolution would silently change the resolution with the sample rate: switch it off first.
        uint autoResolution = _lib.SetAutoResolutionMode(_scp, TiePieConstants.AutoResolutionDisabled);
        if (autoResolution != TiePieConstants.AutoResolutionDisabled)
            throw new DigitizerSettingsException("resolution_bits", requested.ResolutionBits, "a fixed resolution; the device would not switch auto-resolution off");
        byte bits = _lib.SetResolution(_scp, (byte)requested.ResolutionBits, "resolution_bits");
        if (bits != requested.ResolutionBits)
            throw new DigitizerSettingsException("resolution_bits", requested.ResolutionBits, $"a resolution this device supports; it applied {bits} bit");

        var appliedChannels = new List<AppliedChannel>();
        for (ushort ch = 0; ch < _channelCount; ch++)
        {
            int index = IndexOf(requested.Channels, ch + 1);
            var request = index >= 0 ? requested.Channels[index] : null;
            string key = index >= 0 ? $"channels[{index}]" : $"channels (CH{ch + 1})";
            bool enable = request?.Enabled ?? false;
            bool enabled = _lib.SetChannelEnabled(_scp, ch, enable, key + ".enabled");
            if (enabled != enable)
                throw new DigitizerSettingsException(key + ".enabled", enable, $"a state the device accepts; CH{ch + 1} stayed {(enabled ? "enabled" : "disabled")}");
            if (request is null || !enable)
            {
                if (request is not null) appliedChannels.Add(new AppliedChannel(request.Id, false, request.RangeVolts, request.Coupling, 0, 0));
                continue;
            }
            ulong wantCoupling = request.Coupling == Coupling.AC ? TiePieConstants.CouplingAcVolt : TiePieConstants.CouplingDcVolt;
            ulong coupling = _lib.SetChannelCoupling(_scp, ch, wantCoupling, key + ".coupling", request.Coupling.ToString().ToLowerInvariant());
            if (coupling != wantCoupling)
                throw new DigitizerSettingsException(key + ".coupling", request.Coupling.ToString().ToLowerInvariant(), "a coupling this channel supports (dc or ac)");
            double range = _lib.SetChannelRange(_scp, ch, request.RangeVolts, key + ".range_v");
            var scale = new AdcScale(range, bits);
            appliedChannels.Add(new AppliedChannel(request.Id, true, range, request.Coupling, scale.Lsb, 0));
        }

        // Only the beam trigger may start a block: every channel trigger off, every other trigger input off.
        for (ushort ch = 0; ch < _channelCount; ch++)
            if (_lib.ChannelHasTrigger(_scp, ch))
                _lib.SetChannelTriggerEnabled(_scp, ch, false);
        ushort ext = _lib.TriggerInputIndex(_scp, TiePieConstants.TriggerInputIdExt1, "trigger.input", requested.TriggerInput);
        ushort inputs = _lib.TriggerInputCount(_scp);
        for (ushort input = 0; input < inputs; input++)
            _lib.SetTriggerInputEnabled(_scp, input, false, "trigger.input");

        double sampleRate = _lib.SetSampleRate(_scp, requested.SampleRateHz, "sample_rate_hz");
        ulong recordLength = _lib.SetRecordLength(_scp, (ulong)requested.RecordLength, "record_length");
        if (recordLength is 0 or > Hs4Limits.MemorySamplesPerChannel)
            throw new DigitizerSettingsException("record_length", requested.RecordLength, $"a record length this device accepts; it applied {recordLength}");
        double preRatio = _lib.SetPreSampleRatio(_scp, requested.PreSampleRatio, "pre_sample_ratio");

        // The library's default time-out (0.1 s) would turn a missing beam trigger into junk events.
        double timeout = _lib.SetTriggerTimeout(_scp,
            requested.TriggerTimeout is { } t ? t.TotalSeconds : TiePieConstants.TimeoutInfinity, "trigger.timeout_s");
        TimeSpan? appliedTimeout = timeout < 0 ? null : TimeSpan.FromSeconds(timeout);

        ulong wantKind = requested.TriggerEdge == TriggerEdge.Falling ? TiePieConstants.TriggerKindFallingEdge : TiePieConstants.TriggerKindRisingEdge;
        string edge = requested.TriggerEdge.ToString().ToLowerInvariant();
        ulong kind = _lib.SetTriggerInputKind(_scp, ext, wantKind, "trigger.edge", edge);
        if (kind != wantKind)
            throw new DigitizerSettingsException("trigger.edge", edge, "rising or falling, as EXT1 supports; the device applied another kind");

        // The trigger source is armed last, once everything it could start is set up.
        if (!_lib.SetTriggerInputEnabled(_scp, ext, true, "trigger.input"))
            throw new DigitizerSettingsException("trigger.input", requested.TriggerInput, "an input that can be enabled; EXT1 stayed disabled");

        var applied = new AppliedSettings(Identity, bits, sampleRate, (int)recordLength, preRatio,
            appliedChannels.OrderBy(c => c.Id).ToArray(), Hs4Limits.ExternalTriggerInput, requested.TriggerEdge, appliedTimeout, TimeSpan.Zero);
        AllocateBuffers(applied);
        _applied = applied;
        return applied;
    }

    public void Arm()
    {
        EnsurePresent();
        if (_applied is null) throw new InvalidOperationException("Arm before Configure: the HS4 has no settings");
        Guard(() => _lib.Start(_scp));
    }

    public WaitOutcome WaitForData(TimeSpan watchdog, CancellationToken cancellation)
    {
        if (_gone) return WaitOutcome.DeviceRemoved;
        var deadline = _clock.UtcNow + watchdog;
        while (true)
        {
            if (cancellation.IsCancellationRequested) return WaitOutcome.Cancelled;
            try
            {
                if (_lib.IsRemoved(_scp))
                {
                    _gone = true;
                    return WaitOutcome.DeviceRemoved;
                }
                if (_lib.IsDataReady(_scp)) return WaitOutcome.DataReady;
            }
            catch (DigitizerGoneException)
            {
                _gone = true;
                return WaitOutcome.DeviceRemoved;
            }
            var now = _clock.UtcNow;
            if (now >= deadline) return WaitOutcome.WatchdogExpired;
            var next = now + PollInterval;
            if (!_clock.WaitUntil(next < deadline ? next : deadline, cancellation)) return WaitOutcome.Cancelled;
        }
    }

    public void Read(AcquiredBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        EnsurePresent();
        var applied = _applied ?? throw new InvalidOperationException("Read before Configure");
        if (block.Channels.Count != _enabledChannelIndex.Length || (block.Channels.Count > 0 && block.SamplesOf(0).Length < applied.RecordLength))
            throw new ArgumentException("the block was allocated for other settings than the ones applied (channels or record length differ)", nameof(block));
        Guard(() => ReadBlock(block, applied));
    }

    private void ReadBlock(AcquiredBlock block, AppliedSettings applied)
    {
        int validPre = (int)Math.Min(_lib.ValidPreSampleCount(_scp), (ulong)_preSamples);
        int start = _preSamples - validPre; // invalid pre-samples come first and are not read
        int count = applied.RecordLength - start;
        ulong read;
        fixed (nint* pointers = _pointers)
            read = _lib.GetData(_scp, (float**)pointers, _channelCount, (ulong)start, (ulong)count);
        int n = (int)Math.Min(read, (ulong)count);

        var flags = EventFlags.None;
        for (int k = 0; k < _enabledChannelIndex.Length; k++)
        {
            int ch = _enabledChannelIndex[k];
            if (_scales[k].Quantize(_buffers[ch].AsSpan(0, n), block.SamplesOf(k)))
                flags |= EventFlagsExtensions.OverRangeOf(ch + 1);
        }
        if (_lib.IsTimeoutTriggered(_scp)) flags |= EventFlags.TriggerTimeout;
        if (validPre < _preSamples) flags |= EventFlags.IncompletePreSamples;
        if (_lib.IsDataOverflow(_scp)) DataOverflows++;
        block.SampleCount = n;
        block.ValidPreSamples = validPre;
        block.Flags = flags;
    }

    public void Disarm()
    {
        if (_gone || _scp.IsClosed) return;
        try
        {
            _lib.Stop(_scp);
        }
        catch (DigitizerGoneException)
        {
            _gone = true;
        }
    }

    public void Dispose() => _scp.Dispose();

    private void AllocateBuffers(AppliedSettings applied)
    {
        _preSamples = Math.Clamp(Hs4Limits.PreSamples(applied.PreSampleRatio, applied.RecordLength), 0, applied.RecordLength);
        var enabled = applied.Channels.Where(c => c.Enabled).ToArray();
        _enabledChannelIndex = enabled.Select(c => c.Id - 1).ToArray();
        _scales = enabled.Select(c => new AdcScale(c.RangeVolts, applied.ResolutionBits)).ToArray();
        _buffers = new float[_channelCount][];
        _pointers = GC.AllocateArray<nint>(_channelCount, pinned: true);
        foreach (int ch in _enabledChannelIndex)
        {
            // Pinned for the life of the configuration: the library writes through these pointers.
            _buffers[ch] = GC.AllocateUninitializedArray<float>(applied.RecordLength, pinned: true);
            _pointers[ch] = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffers[ch]));
        }
    }

    private void EnsurePresent()
    {
        ObjectDisposedException.ThrowIf(_scp.IsClosed, this);
        if (_gone) throw new DigitizerGoneException($"HS4 {Identity.SerialNumber} has been removed; open it again once it is back on the bus");
    }

    private void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (DigitizerGoneException)
        {
            _gone = true;
            throw;
        }
    }

    private static int IndexOf(IReadOnlyList<ChannelSettings> channels, int id)
    {
        for (int i = 0; i < channels.Count; i++)
            if (channels[i].Id == id) return i;
        return -1;
    }
}
