namespace BeamDAQ.Daq.Digitizers.Hs4.Native;

/// <summary>
/// The libtiepie-hw functions the HS4 driver uses, one member per C function (named after it without the
/// <c>tiepie_hw_</c> prefix), so the driver can run against the real library (<see cref="NativeLibTiePie"/>)
/// or against a recording fake in tests. Like the C API, nothing here checks the status flag; every call sets
/// it and <see cref="Interop.CheckedLibTiePie"/> reads it with <see cref="GetLastStatus"/>.
/// Handles are tiepie_hw_handle values (uint32); 0 is invalid.
/// </summary>
internal unsafe interface ILibTiePie
{
    void Init();
    void Fini();
    string GetVersion();
    int GetLastStatus();
    string GetLastStatusStr();

    void DeviceListUpdate();
    uint DeviceListGetCount();
    uint DeviceListGetItemByIndex(uint index);
    uint DeviceListGetItemBySerialNumber(uint serialNumber);
    bool DeviceListItemCanOpen(uint item, uint deviceType);
    uint DeviceListItemOpenOscilloscope(uint item);
    uint DeviceListItemGetProductId(uint item);
    uint DeviceListItemGetSerialNumber(uint item);
    string DeviceListItemGetName(uint item);

    void ObjectClose(uint handle);
    bool ObjectIsRemoved(uint handle);

    uint DeviceGetSerialNumber(uint device);
    string DeviceGetName(uint device);
    ushort DeviceTriggerGetInputCount(uint device);
    ushort DeviceTriggerGetInputIndexById(uint device, uint id);
    bool DeviceTriggerInputSetEnabled(uint device, ushort input, bool value);
    ulong DeviceTriggerInputSetKind(uint device, ushort input, ulong value);

    ushort OscilloscopeGetChannelCount(uint scp);
    uint OscilloscopeGetMeasureModes(uint scp);
    uint OscilloscopeSetMeasureMode(uint scp, uint value);
    uint OscilloscopeSetAutoResolutionMode(uint scp, uint value);
    byte OscilloscopeSetResolution(uint scp, byte value);
    bool OscilloscopeChannelSetEnabled(uint scp, ushort ch, bool value);
    double OscilloscopeChannelSetRange(uint scp, ushort ch, double range);
    ulong OscilloscopeChannelSetCoupling(uint scp, ushort ch, ulong coupling);
    bool OscilloscopeChannelHasTrigger(uint scp, ushort ch);
    bool OscilloscopeChannelTriggerSetEnabled(uint scp, ushort ch, bool value);
    double OscilloscopeSetSampleRate(uint scp, double value);
    ulong OscilloscopeSetRecordLength(uint scp, ulong recordLength);
    double OscilloscopeSetPreSampleRatio(uint scp, double value);
    double OscilloscopeTriggerSetTimeout(uint scp, double value);
    void OscilloscopeStart(uint scp);
    void OscilloscopeStop(uint scp);
    bool OscilloscopeIsDataReady(uint scp);
    bool OscilloscopeIsDataOverflow(uint scp);
    bool OscilloscopeIsTimeoutTriggered(uint scp);
    ulong OscilloscopeGetValidPreSampleCount(uint scp);

    /// <summary>
    /// Copies <paramref name="sampleCount"/> samples from <paramref name="startIndex"/> of each channel whose
    /// entry in <paramref name="buffers"/> (one per device channel) is not null; returns the samples copied.
    /// </summary>
    ulong OscilloscopeGetData(uint scp, float** buffers, ushort channelCount, ulong startIndex, ulong sampleCount);
}
