using System.Globalization;
using BeamDAQ.Daq.Digitizers.Hs4;
using BeamDAQ.Daq.Digitizers.Hs4.Native;

namespace BeamDAQ.Daq.Tests.Support;

/// <summary>One fake instrument on the fake bus.</summary>
internal sealed class FakeTiePieDevice
{
    public uint SerialNumber { get; init; } = 27710;
    public uint ProductId { get; init; } = TiePieConstants.ProductIdHs4;
    public string Name { get; init; } = "Handyscope HS4-50";
    public ushort ChannelCount { get; init; } = 4;
    public ushort TriggerInputCount { get; init; } = 3;
    /// <summary>Index the EXT1 trigger input has in this device's list.</summary>
    public ushort Ext1Index { get; init; } = 1;
    public bool Removed { get; set; }
    public bool InUse { get; set; }

    public byte Resolution { get; set; } = 12;
    public double[] Ranges { get; } = [8, 8, 8, 8];
    /// <summary>Start() calls after which IsDataReady turns true on the Nth poll (int.MaxValue: never).</summary>
    public int DataReadyAfterPolls { get; set; } = 2;
    public int PollsSinceStart { get; set; }
    public bool Started { get; set; }
    public ulong ValidPreSamples { get; set; } = ulong.MaxValue;
    public bool TimeoutTriggered { get; set; }
    /// <summary>Volts per device channel returned by get_data (index = channel number − 1).</summary>
    public float[]?[] Data { get; } = new float[]?[4];
    /// <summary>Called after the Nth IsDataReady poll, e.g. to pull the device off the bus.</summary>
    public Action<int>? OnPoll { get; set; }
}

/// <summary>
/// A recording fake of the libtiepie-hw C API for driver tests: it keeps the call log ("Member(args)"), sets
/// the status flag the way the library does (VALUE_MODIFIED when a range snaps up, VALUE_CLIPPED beyond the
/// limits, OBJECT_GONE once a device is removed) and serves the data placed in <see cref="FakeTiePieDevice.Data"/>.
/// </summary>
internal sealed unsafe class RecordingLibTiePie : ILibTiePie
{
    private readonly Dictionary<uint, FakeTiePieDevice> _items = [];
    private readonly Dictionary<uint, FakeTiePieDevice> _scopes = [];
    private readonly Dictionary<string, (TiePieStatus Status, string Text)> _failures = [];
    private uint _nextHandle = 100;
    private TiePieStatus _status;
    private string _statusText = "";

    public List<FakeTiePieDevice> Devices { get; } = [new FakeTiePieDevice()];
    public List<string> Calls { get; } = [];
    public List<uint> Closed { get; } = [];
    public int InitCount { get; private set; }
    public int FiniCount { get; private set; }

    public FakeTiePieDevice Device => Devices[0];

    /// <summary>The next call of <paramref name="member"/> sets <paramref name="status"/> (once).</summary>
    public void FailNext(string member, TiePieStatus status, string text) => _failures[member] = (status, text);

    /// <summary>Index of the first call starting with <paramref name="prefix"/> (−1 when absent).</summary>
    public int IndexOf(string prefix) => Calls.FindIndex(c => c.StartsWith(prefix, StringComparison.Ordinal));
    public int LastIndexOf(string prefix) => Calls.FindLastIndex(c => c.StartsWith(prefix, StringComparison.Ordinal));

    private T Record<T>(string member, string args, T result, TiePieStatus status = TiePieStatus.Success, FakeTiePieDevice? device = null)
    {
        Calls.Add($"{member}({args})");
        if (device is { Removed: true })
        {
            _status = TiePieStatus.ObjectGone;
            _statusText = "Object gone";
            return default!;
        }
        if (_failures.Remove(member, out var failure))
        {
            _status = failure.Status;
            _statusText = failure.Text;
            return result;
        }
        _status = status;
        _statusText = status == TiePieStatus.Success ? "Success" : status.ToString();
        return result;
    }

    private static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
    private FakeTiePieDevice Scp(uint h) => _scopes[h];

    public void Init() { InitCount++; Calls.Add("Init()"); }
    public void Fini() { FiniCount++; Calls.Add("Fini()"); }
    public string GetVersion() => "1.1.13.0";
    public int GetLastStatus() => (int)_status;
    public string GetLastStatusStr() => _statusText;

    public void DeviceListUpdate() => Record("DeviceListUpdate", "", 0);
    public uint DeviceListGetCount() => Record("DeviceListGetCount", "", (uint)Devices.Count);

    public uint DeviceListGetItemByIndex(uint index)
    {
        if (index >= Devices.Count) return Record("DeviceListGetItemByIndex", $"{index}", 0u, TiePieStatus.InvalidDeviceIndex);
        uint h = _nextHandle++;
        _items[h] = Devices[(int)index];
        return Record("DeviceListGetItemByIndex", $"{index}", h);
    }

    public uint DeviceListGetItemBySerialNumber(uint serialNumber)
    {
        var device = Devices.FirstOrDefault(d => d.SerialNumber == serialNumber && !d.Removed);
        if (device is null) return Record("DeviceListGetItemBySerialNumber", $"{serialNumber}", 0u, TiePieStatus.InvalidDeviceSerialNumber);
        uint h = _nextHandle++;
        _items[h] = device;
        return Record("DeviceListGetItemBySerialNumber", $"{serialNumber}", h);
    }

    public bool DeviceListItemCanOpen(uint item, uint deviceType) =>
        Record("DeviceListItemCanOpen", $"{deviceType}", !_items[item].InUse && deviceType == TiePieConstants.DeviceTypeOscilloscope);

    public uint DeviceListItemOpenOscilloscope(uint item)
    {
        var device = _items[item];
        if (device.InUse) return Record("DeviceListItemOpenOscilloscope", "", 0u, TiePieStatus.Unsuccessful);
        uint h = _nextHandle++;
        _scopes[h] = device;
        device.InUse = true;
        return Record("DeviceListItemOpenOscilloscope", "", h);
    }

    public uint DeviceListItemGetProductId(uint item) => Record("DeviceListItemGetProductId", "", _items[item].ProductId);
    public uint DeviceListItemGetSerialNumber(uint item) => Record("DeviceListItemGetSerialNumber", "", _items[item].SerialNumber);
    public string DeviceListItemGetName(uint item) => Record("DeviceListItemGetName", "", _items[item].Name);

    public void ObjectClose(uint handle)
    {
        Calls.Add($"ObjectClose({handle})");
        Closed.Add(handle);
        if (_scopes.Remove(handle, out var device)) device.InUse = false;
        _items.Remove(handle);
        _status = TiePieStatus.Success;
    }

    public bool ObjectIsRemoved(uint handle)
    {
        var device = _scopes.GetValueOrDefault(handle) ?? _items[handle];
        Calls.Add("ObjectIsRemoved()");
        _status = TiePieStatus.Success;
        return device.Removed;
    }

    public uint DeviceGetSerialNumber(uint device) => Record("DeviceGetSerialNumber", "", Scp(device).SerialNumber, device: Scp(device));
    public string DeviceGetName(uint device) => Record("DeviceGetName", "", Scp(device).Name, device: Scp(device));
    public ushort DeviceTriggerGetInputCount(uint device) => Record("DeviceTriggerGetInputCount", "", Scp(device).TriggerInputCount, device: Scp(device));

    public ushort DeviceTriggerGetInputIndexById(uint device, uint id) =>
        id == TiePieConstants.TriggerInputIdExt1
            ? Record("DeviceTriggerGetInputIndexById", $"0x{id:x}", Scp(device).Ext1Index, device: Scp(device))
            : Record("DeviceTriggerGetInputIndexById", $"0x{id:x}", TiePieConstants.TriggerIoIndexInvalid, TiePieStatus.InvalidValue, Scp(device));

    public bool DeviceTriggerInputSetEnabled(uint device, ushort input, bool value) =>
        Record("DeviceTriggerInputSetEnabled", $"{input}, {value}", value, device: Scp(device));

    public ulong DeviceTriggerInputSetKind(uint device, ushort input, ulong value) =>
        Record("DeviceTriggerInputSetKind", $"{input}, {value}", value, device: Scp(device));

    public ushort OscilloscopeGetChannelCount(uint scp) => Record("OscilloscopeGetChannelCount", "", Scp(scp).ChannelCount, device: Scp(scp));
    public uint OscilloscopeGetMeasureModes(uint scp) => Record("OscilloscopeGetMeasureModes", "", 3u, device: Scp(scp));
    public uint OscilloscopeSetMeasureMode(uint scp, uint value) => Record("OscilloscopeSetMeasureMode", $"{value}", value, device: Scp(scp));
    public uint OscilloscopeSetAutoResolutionMode(uint scp, uint value) => Record("OscilloscopeSetAutoResolutionMode", $"{value}", value, device: Scp(scp));

    public byte OscilloscopeSetResolution(uint scp, byte value)
    {
        var d = Scp(scp);
        if (value is 12 or 14 or 16) d.Resolution = value;
        return Record("OscilloscopeSetResolution", $"{value}", d.Resolution, value is 12 or 14 or 16 ? TiePieStatus.Success : TiePieStatus.ValueModified, d);
    }

    public bool OscilloscopeChannelSetEnabled(uint scp, ushort ch, bool value) =>
        Record("OscilloscopeChannelSetEnabled", $"{ch}, {value}", value, device: Scp(scp));

    public double OscilloscopeChannelSetRange(uint scp, ushort ch, double range)
    {
        var d = Scp(scp);
        double? snapped = Hs4Limits.SnapRangeVolts(range);
        var status = snapped is null ? TiePieStatus.ValueClipped : snapped.Value == range ? TiePieStatus.Success : TiePieStatus.ValueModified;
        d.Ranges[ch] = snapped ?? 80;
        return Record("OscilloscopeChannelSetRange", $"{ch}, {F(range)}", d.Ranges[ch], status, d);
    }

    public ulong OscilloscopeChannelSetCoupling(uint scp, ushort ch, ulong coupling) =>
        Record("OscilloscopeChannelSetCoupling", $"{ch}, {coupling}", coupling, device: Scp(scp));

    public bool OscilloscopeChannelHasTrigger(uint scp, ushort ch) => Record("OscilloscopeChannelHasTrigger", $"{ch}", true, device: Scp(scp));

    public bool OscilloscopeChannelTriggerSetEnabled(uint scp, ushort ch, bool value) =>
        Record("OscilloscopeChannelTriggerSetEnabled", $"{ch}, {value}", value, device: Scp(scp));

    public double OscilloscopeSetSampleRate(uint scp, double value)
    {
        var d = Scp(scp);
        double max = Hs4Limits.MaxSampleRateHz(d.Resolution);
        if (value > max) return Record("OscilloscopeSetSampleRate", F(value), max, TiePieStatus.ValueClipped, d);
        double applied = Hs4Limits.AppliedSampleRateHz(value, d.Resolution);
        return Record("OscilloscopeSetSampleRate", F(value), applied, applied == value ? TiePieStatus.Success : TiePieStatus.ValueModified, d);
    }

    public ulong OscilloscopeSetRecordLength(uint scp, ulong recordLength) =>
        Record("OscilloscopeSetRecordLength", $"{recordLength}", Math.Min(recordLength, Hs4Limits.MemorySamplesPerChannel),
            recordLength > Hs4Limits.MemorySamplesPerChannel ? TiePieStatus.ValueClipped : TiePieStatus.Success, Scp(scp));

    public double OscilloscopeSetPreSampleRatio(uint scp, double value) => Record("OscilloscopeSetPreSampleRatio", F(value), value, device: Scp(scp));
    public double OscilloscopeTriggerSetTimeout(uint scp, double value) => Record("OscilloscopeTriggerSetTimeout", F(value), value, device: Scp(scp));

    public void OscilloscopeStart(uint scp)
    {
        var d = Scp(scp);
        if (!d.Removed) { d.Started = true; d.PollsSinceStart = 0; }
        Record("OscilloscopeStart", "", 0, device: d);
    }

    public void OscilloscopeStop(uint scp)
    {
        var d = Scp(scp);
        if (!d.Removed) d.Started = false;
        Record("OscilloscopeStop", "", 0, device: d);
    }

    public bool OscilloscopeIsDataReady(uint scp)
    {
        var d = Scp(scp);
        d.PollsSinceStart++;
        bool ready = d.Started && d.PollsSinceStart >= d.DataReadyAfterPolls;
        var result = Record("OscilloscopeIsDataReady", "", ready, device: d);
        d.OnPoll?.Invoke(d.PollsSinceStart);
        return result;
    }

    public bool OscilloscopeIsDataOverflow(uint scp) => Record("OscilloscopeIsDataOverflow", "", false, device: Scp(scp));
    public bool OscilloscopeIsTimeoutTriggered(uint scp) => Record("OscilloscopeIsTimeoutTriggered", "", Scp(scp).TimeoutTriggered, device: Scp(scp));

    public ulong OscilloscopeGetValidPreSampleCount(uint scp) =>
        Record("OscilloscopeGetValidPreSampleCount", "", Scp(scp).ValidPreSamples, device: Scp(scp));

    public ulong OscilloscopeGetData(uint scp, float** buffers, ushort channelCount, ulong startIndex, ulong sampleCount)
    {
        var d = Scp(scp);
        var channels = new List<int>();
        if (!d.Removed)
            for (int ch = 0; ch < channelCount; ch++)
            {
                if (buffers[ch] is null) continue;
                channels.Add(ch);
                var source = d.Data[ch] ?? [];
                for (ulong i = 0; i < sampleCount; i++)
                    buffers[ch][i] = startIndex + i < (ulong)source.Length ? source[startIndex + i] : 0f;
            }
        return Record("OscilloscopeGetData", $"channels={string.Join("+", channels)}, start={startIndex}, count={sampleCount}", sampleCount, device: d);
    }
}
