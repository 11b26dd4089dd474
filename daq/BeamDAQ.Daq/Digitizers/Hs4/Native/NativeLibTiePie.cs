using System.Runtime.InteropServices;
using System.Text;
using static BeamDAQ.Daq.Digitizers.Hs4.Native.LibTiePieNative;

namespace BeamDAQ.Daq.Digitizers.Hs4.Native;

/// <summary><see cref="ILibTiePie"/> over the real libtiepie-hw: a straight forward to the imports.</summary>
internal sealed unsafe class NativeLibTiePie : ILibTiePie
{
    private static byte B(bool value) => value ? TiePieConstants.BoolTrue : TiePieConstants.BoolFalse;

    public void Init() => tiepie_hw_init();
    public void Fini() => tiepie_hw_fini();

    public string GetVersion()
    {
        var v = tiepie_hw_get_version();
        if (v is null) return "unknown";
        string extra = v->Extra is null ? "" : Marshal.PtrToStringUTF8((nint)v->Extra) ?? "";
        return $"{v->Major}.{v->Minor}.{v->Patch}.{v->Build}{extra}";
    }

    public int GetLastStatus() => tiepie_hw_get_last_status();
    public string GetLastStatusStr() => Marshal.PtrToStringUTF8((nint)tiepie_hw_get_last_status_str()) ?? "";

    public void DeviceListUpdate() => tiepie_hw_devicelist_update();
    public uint DeviceListGetCount() => tiepie_hw_devicelist_get_count();
    public uint DeviceListGetItemByIndex(uint index) => tiepie_hw_devicelist_get_item_by_index(index);
    public uint DeviceListGetItemBySerialNumber(uint serialNumber) => tiepie_hw_devicelist_get_item_by_serial_number(serialNumber);
    public bool DeviceListItemCanOpen(uint item, uint deviceType) => tiepie_hw_devicelistitem_can_open(item, deviceType) != 0;
    public uint DeviceListItemOpenOscilloscope(uint item) => tiepie_hw_devicelistitem_open_oscilloscope(item);
    public uint DeviceListItemGetProductId(uint item) => tiepie_hw_devicelistitem_get_product_id(item);
    public uint DeviceListItemGetSerialNumber(uint item) => tiepie_hw_devicelistitem_get_serial_number(item);
    public string DeviceListItemGetName(uint item) => ReadString((buffer, length) => tiepie_hw_devicelistitem_get_name(item, buffer, length));

    public void ObjectClose(uint handle) => tiepie_hw_object_close(handle);
    public bool ObjectIsRemoved(uint handle) => tiepie_hw_object_is_removed(handle) != 0;

    public uint DeviceGetSerialNumber(uint device) => tiepie_hw_device_get_serial_number(device);
    public string DeviceGetName(uint device) => ReadString((buffer, length) => tiepie_hw_device_get_name(device, buffer, length));
    public ushort DeviceTriggerGetInputCount(uint device) => tiepie_hw_device_trigger_get_input_count(device);
    public ushort DeviceTriggerGetInputIndexById(uint device, uint id) => tiepie_hw_device_trigger_get_input_index_by_id(device, id);
    public bool DeviceTriggerInputSetEnabled(uint device, ushort input, bool value) => tiepie_hw_device_trigger_input_set_enabled(device, input, B(value)) != 0;
    public ulong DeviceTriggerInputSetKind(uint device, ushort input, ulong value) => tiepie_hw_device_trigger_input_set_kind(device, input, value);

    public ushort OscilloscopeGetChannelCount(uint scp) => tiepie_hw_oscilloscope_get_channel_count(scp);
    public uint OscilloscopeGetMeasureModes(uint scp) => tiepie_hw_oscilloscope_get_measure_modes(scp);
    public uint OscilloscopeSetMeasureMode(uint scp, uint value) => tiepie_hw_oscilloscope_set_measure_mode(scp, value);
    public uint OscilloscopeSetAutoResolutionMode(uint scp, uint value) => tiepie_hw_oscilloscope_set_auto_resolution_mode(scp, value);
    public byte OscilloscopeSetResolution(uint scp, byte value) => tiepie_hw_oscilloscope_set_resolution(scp, value);
    public bool OscilloscopeChannelSetEnabled(uint scp, ushort ch, bool value) => tiepie_hw_oscilloscope_channel_set_enabled(scp, ch, B(value)) != 0;
    public double OscilloscopeChannelSetRange(uint scp, ushort ch, double range) => tiepie_hw_oscilloscope_channel_set_range(scp, ch, range);
    public ulong OscilloscopeChannelSetCoupling(uint scp, ushort ch, ulong coupling) => tiepie_hw_oscilloscope_channel_set_coupling(scp, ch, coupling);
    public bool OscilloscopeChannelHasTrigger(uint scp, ushort ch) => tiepie_hw_oscilloscope_channel_has_trigger(scp, ch) != 0;
    public bool OscilloscopeChannelTriggerSetEnabled(uint scp, ushort ch, bool value) => tiepie_hw_oscilloscope_channel_trigger_set_enabled(scp, ch, B(value)) != 0;
    public double OscilloscopeSetSampleRate(uint scp, double value) => tiepie_hw_oscilloscope_set_sample_rate(scp, value);
    public ulong OscilloscopeSetRecordLength(uint scp, ulong recordLength) => tiepie_hw_oscilloscope_set_record_length(scp, recordLength);
    public double OscilloscopeSetPreSampleRatio(uint scp, double value) => tiepie_hw_oscilloscope_set_pre_sample_ratio(scp, value);
    public double OscilloscopeTriggerSetTimeout(uint scp, double value) => tiepie_hw_oscilloscope_trigger_set_timeout(scp, value);
    public void OscilloscopeStart(uint scp) => tiepie_hw_oscilloscope_start(scp);
    public void OscilloscopeStop(uint scp) => tiepie_hw_oscilloscope_stop(scp);
    public bool OscilloscopeIsDataReady(uint scp) => tiepie_hw_oscilloscope_is_data_ready(scp) != 0;
    public bool OscilloscopeIsDataOverflow(uint scp) => tiepie_hw_oscilloscope_is_data_overflow(scp) != 0;
    public bool OscilloscopeIsTimeoutTriggered(uint scp) => tiepie_hw_oscilloscope_is_timeout_triggered(scp) != 0;
    public ulong OscilloscopeGetValidPreSampleCount(uint scp) => tiepie_hw_oscilloscope_get_valid_pre_sample_count(scp);

    public ulong OscilloscopeGetData(uint scp, float** buffers, ushort channelCount, ulong startIndex, ulong sampleCount) =>
        tiepie_hw_oscilloscope_get_data(scp, buffers, channelCount, startIndex, sampleCount);

    private delegate uint StringGetter(byte* buffer, uint length);

    /// <summary>The library's string pattern: ask for the length with a null buffer, then fill a buffer of length + 1.</summary>
    private static string ReadString(StringGetter get)
    {
        uint length = get(null, 0);
        if (length == 0) return "";
        var buffer = new byte[length + 1];
        fixed (byte* p = buffer)
        {
            uint written = get(p, (uint)buffer.Length);
            int n = (int)Math.Min(written, length);
            return Encoding.UTF8.GetString(buffer, 0, n).TrimEnd('\0');
        }
    }
}
