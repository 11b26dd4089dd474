using System.Globalization;
using BeamDAQ.Daq.Digitizers.Hs4.Native;

namespace BeamDAQ.Daq.Digitizers.Hs4.Interop;

/// <summary>
/// The middle layer over libtiepie-hw: every call is followed by a read of the status flag, and this is the
/// only class that knows status codes. Errors become exceptions of the digitizer contract:
/// OBJECT_GONE → <see cref="DigitizerGoneException"/>; a refused or clipped setting →
/// <see cref="DigitizerSettingsException"/> with the configuration key and the library's message; anything
/// else → <see cref="LibTiePieException"/>. Setters return the value the library applied.
/// </summary>
internal sealed class CheckedLibTiePie(ILibTiePie lib)
{
    public ILibTiePie Raw { get; } = lib;

    // ---- library -------------------------------------------------------------------------------------

    public void Init()
    {
        try
        {
            Raw.Init();
        }
        catch (DllNotFoundException e)
        {
            throw new LibTiePieException("tiepie_hw_init", "library not found",
                $"{LibTiePieNative.LibraryName} is not installed or not on the loader path; see docs/hardware.md", e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new LibTiePieException("tiepie_hw_init", "incompatible library",
                $"{LibTiePieNative.LibraryName} lacks a libtiepie-hw 1.x function: {e.Message}", e);
        }
    }

    public void Fini() => Raw.Fini();

    public string Version => Raw.GetVersion();

    // ---- device list ---------------------------------------------------------------------------------

    public void DeviceListUpdate()
    {
        Raw.DeviceListUpdate();
        Check("tiepie_hw_devicelist_update");
    }

    public uint DeviceListCount() =>
        Checked(Raw.DeviceListGetCount(), "tiepie_hw_devicelist_get_count");

    public TiePieHandle DeviceListItemByIndex(uint index) =>
        new(Raw, Checked(Raw.DeviceListGetItemByIndex(index), "tiepie_hw_devicelist_get_item_by_index"));

    /// <summary>The list item of the device with <paramref name="serialNumber"/>, or null when no such device is attached.</summary>
    public TiePieHandle? DeviceListItemBySerialNumber(uint serialNumber)
    {
        uint item = Raw.DeviceListGetItemBySerialNumber(serialNumber);
        var status = Status();
        if (status == TiePieStatus.InvalidDeviceSerialNumber || item == TiePieConstants.HandleInvalid) return null;
        Throw(status, "tiepie_hw_devicelist_get_item_by_serial_number");
        return new TiePieHandle(Raw, item);
    }

    public bool CanOpenOscilloscope(TiePieHandle item) =>
        Checked(Raw.DeviceListItemCanOpen(item.Value, TiePieConstants.DeviceTypeOscilloscope), "tiepie_hw_devicelistitem_can_open");

    /// <summary>Opens the item's oscilloscope; null when it cannot be opened (e.g. in use by another program).</summary>
    public TiePieHandle? OpenOscilloscope(TiePieHandle item)
    {
        uint scp = Raw.DeviceListItemOpenOscilloscope(item.Value);
        var status = Status();
        if (scp == TiePieConstants.HandleInvalid) return null;
        Throw(status, "tiepie_hw_devicelistitem_open_oscilloscope");
        return new TiePieHandle(Raw, scp);
    }

    public uint ItemProductId(TiePieHandle item) =>
        Checked(Raw.DeviceListItemGetProductId(item.Value), "tiepie_hw_devicelistitem_get_product_id");

    public uint ItemSerialNumber(TiePieHandle item) =>
        Checked(Raw.DeviceListItemGetSerialNumber(item.Value), "tiepie_hw_devicelistitem_get_serial_number");

    public string ItemName(TiePieHandle item) =>
        Checked(Raw.DeviceListItemGetName(item.Value), "tiepie_hw_devicelistitem_get_name");

    // ---- object / device -----------------------------------------------------------------------------

    /// <summary>True when the device has dropped off the bus (OBJECT_GONE counts as removed, not as an error).</summary>
    public bool IsRemoved(TiePieHandle scp)
    {
        bool removed = Raw.ObjectIsRemoved(scp.Value);
        var status = Status();
        if (status == TiePieStatus.ObjectGone) return true;
        Throw(status, "tiepie_hw_object_is_removed");
        return removed;
    }

    public uint SerialNumber(TiePieHandle scp) =>
        Checked(Raw.DeviceGetSerialNumber(scp.Value), "tiepie_hw_device_get_serial_number");

    public string Name(TiePieHandle scp) =>
        Checked(Raw.DeviceGetName(scp.Value), "tiepie_hw_device_get_name");

    public ushort TriggerInputCount(TiePieHandle scp) =>
        Checked(Raw.DeviceTriggerGetInputCount(scp.Value), "tiepie_hw_device_trigger_get_input_count");

    /// <summary>The index of trigger input <paramref name="id"/>; a settings error naming <paramref name="key"/> when the device has none.</summary>
    public ushort TriggerInputIndex(TiePieHandle scp, uint id, string key, string name)
    {
        ushort index = Raw.DeviceTriggerGetInputIndexById(scp.Value, id);
        var status = Status();
        if (status == TiePieStatus.ObjectGone) Throw(status, "tiepie_hw_device_trigger_get_input_index_by_id");
        if (status < 0 || index == TiePieConstants.TriggerIoIndexInvalid)
            throw new DigitizerSettingsException(key, name, $"a trigger input of this device; the library reports {Describe(status)}");
        return index;
    }

    public bool SetTriggerInputEnabled(TiePieHandle scp, ushort input, bool value, string key) =>
        Setter(Raw.DeviceTriggerInputSetEnabled(scp.Value, input, value), "tiepie_hw_device_trigger_input_set_enabled", key, value);

    public ulong SetTriggerInputKind(TiePieHandle scp, ushort input, ulong kind, string key, object requested) =>
        Setter(Raw.DeviceTriggerInputSetKind(scp.Value, input, kind), "tiepie_hw_device_trigger_input_set_kind", key, requested);

    // ---- oscilloscope settings -----------------------------------------------------------------------

    public ushort ChannelCount(TiePieHandle scp) =>
        Checked(Raw.OscilloscopeGetChannelCount(scp.Value), "tiepie_hw_oscilloscope_get_channel_count");

    public uint MeasureModes(TiePieHandle scp) =>
        Checked(Raw.OscilloscopeGetMeasureModes(scp.Value), "tiepie_hw_oscilloscope_get_measure_modes");

    public uint SetMeasureMode(TiePieHandle scp, uint mode) =>
        Setter(Raw.OscilloscopeSetMeasureMode(scp.Value, mode), "tiepie_hw_oscilloscope_set_measure_mode", "measure_mode", "block");

    public uint SetAutoResolutionMode(TiePieHandle scp, uint mode) =>
        Setter(Raw.OscilloscopeSetAutoResolutionMode(scp.Value, mode), "tiepie_hw_oscilloscope_set_auto_resolution_mode", "resolution_bits", "auto-resolution off");

    public byte SetResolution(TiePieHandle scp, byte bits, string key) =>
        Setter(Raw.OscilloscopeSetResolution(scp.Value, bits), "tiepie_hw_oscilloscope_set_resolution", key, bits);

    public bool SetChannelEnabled(TiePieHandle scp, ushort ch, bool value, string key) =>
        Setter(Raw.OscilloscopeChannelSetEnabled(scp.Value, ch, value), "tiepie_hw_oscilloscope_channel_set_enabled", key, value);

    public double SetChannelRange(TiePieHandle scp, ushort ch, double range, string key) =>
        Setter(Raw.OscilloscopeChannelSetRange(scp.Value, ch, range), "tiepie_hw_oscilloscope_channel_set_range", key, range);

    public ulong SetChannelCoupling(TiePieHandle scp, ushort ch, ulong coupling, string key, object requested) =>
        Setter(Raw.OscilloscopeChannelSetCoupling(scp.Value, ch, coupling), "tiepie_hw_oscilloscope_channel_set_coupling", key, requested);

    public bool ChannelHasTrigger(TiePieHandle scp, ushort ch) =>
        Checked(Raw.OscilloscopeChannelHasTrigger(scp.Value, ch), "tiepie_hw_oscilloscope_channel_has_trigger");

    public bool SetChannelTriggerEnabled(TiePieHandle scp, ushort ch, bool value) =>
        Setter(Raw.OscilloscopeChannelTriggerSetEnabled(scp.Value, ch, value), "tiepie_hw_oscilloscope_channel_trigger_set_enabled", "trigger.input", value);

    public double SetSampleRate(TiePieHandle scp, double rate, string key) =>
        Setter(Raw.OscilloscopeSetSampleRate(scp.Value, rate), "tiepie_hw_oscilloscope_set_sample_rate", key, rate);

    public ulong SetRecordLength(TiePieHandle scp, ulong length, string key) =>
        Setter(Raw.OscilloscopeSetRecordLength(scp.Value, length), "tiepie_hw_oscilloscope_set_record_length", key, length);

    public double SetPreSampleRatio(TiePieHandle scp, double ratio, string key) =>
        Setter(Raw.OscilloscopeSetPreSampleRatio(scp.Value, ratio), "tiepie_hw_oscilloscope_set_pre_sample_ratio", key, ratio);

    public double SetTriggerTimeout(TiePieHandle scp, double seconds, string key) =>
        Setter(Raw.OscilloscopeTriggerSetTimeout(scp.Value, seconds), "tiepie_hw_oscilloscope_trigger_set_timeout", key, seconds);

    // ---- measurement ---------------------------------------------------------------------------------

    public void Start(TiePieHandle scp)
    {
        Raw.OscilloscopeStart(scp.Value);
        Check("tiepie_hw_oscilloscope_start");
    }

    public void Stop(TiePieHandle scp)
    {
        Raw.OscilloscopeStop(scp.Value);
        Check("tiepie_hw_oscilloscope_stop");
    }

    public bool IsDataReady(TiePieHandle scp) =>
        Checked(Raw.OscilloscopeIsDataReady(scp.Value), "tiepie_hw_oscilloscope_is_data_ready");

    public bool IsDataOverflow(TiePieHandle scp) =>
        Checked(Raw.OscilloscopeIsDataOverflow(scp.Value), "tiepie_hw_oscilloscope_is_data_overflow");

    public bool IsTimeoutTriggered(TiePieHandle scp) =>
        Checked(Raw.OscilloscopeIsTimeoutTriggered(scp.Value), "tiepie_hw_oscilloscope_is_timeout_triggered");

    public ulong ValidPreSampleCount(TiePieHandle scp) =>
        Checked(Raw.OscilloscopeGetValidPreSampleCount(scp.Value), "tiepie_hw_oscilloscope_get_valid_pre_sample_count");

    public unsafe ulong GetData(TiePieHandle scp, float** buffers, ushort channelCount, ulong start, ulong count) =>
        Checked(Raw.OscilloscopeGetData(scp.Value, buffers, channelCount, start, count), "tiepie_hw_oscilloscope_get_data");

    // ---- status --------------------------------------------------------------------------------------

    private TiePieStatus Status() => (TiePieStatus)Raw.GetLastStatus();

    private void Check(string function) => Throw(Status(), function);

    /// <summary>A getter's result once its status is checked: the call, as the argument, has run before the check.</summary>
    private T Checked<T>(T result, string function)
    {
        Check(function);
        return result;
    }

    /// <summary>Throws for an error status; success and success-with-side-effect return.</summary>
    private void Throw(TiePieStatus status, string function)
    {
        if (status >= 0) return;
        string message = Raw.GetLastStatusStr();
        if (status == TiePieStatus.ObjectGone)
            throw new DigitizerGoneException($"the HS4 is gone (libtiepie-hw {function}: OBJECT_GONE{Suffix(message)})");
        throw new LibTiePieException(function, Name(status), message);
    }

    /// <summary>
    /// A setter's status: a refused value (INVALID_VALUE, NOT_SUPPORTED, NOT_AVAILABLE, INVALID_CHANNEL,
    /// INVALID_INPUT) or a value clipped to the device's limit is a settings error naming the key; a value
    /// modified to the nearest available one (e.g. a range snapping up) is accepted and returned as applied.
    /// </summary>
    private T Setter<T>(T applied, string function, string key, object? requested)
    {
        var status = Status();
        switch (status)
        {
            case TiePieStatus.ValueClipped:
                throw new DigitizerSettingsException(key, FormatValue(requested),
                    $"within this device's limits; the library clipped it to {FormatValue(applied)} ({function}{Suffix(Raw.GetLastStatusStr())})");
            case TiePieStatus.InvalidValue:
            case TiePieStatus.NotSupported:
            case TiePieStatus.NotAvailable:
            case TiePieStatus.InvalidChannel:
            case TiePieStatus.InvalidInput:
                throw new DigitizerSettingsException(key, FormatValue(requested),
                    $"a value this device accepts; the library refused it with {Name(status)}: {Raw.GetLastStatusStr()} ({function})");
            default:
                Throw(status, function);
                return applied;
        }
    }

    private string Describe(TiePieStatus status) => $"{Name(status)}{Suffix(Raw.GetLastStatusStr())}";

    private static string Suffix(string message) => string.IsNullOrEmpty(message) ? "" : ": " + message;

    internal static string Name(TiePieStatus status) => Enum.IsDefined(status)
        ? "TIEPIE_HW_STATUS_" + string.Concat(status.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant()
        : $"status {(int)status}";

    private static string? FormatValue(object? value) => value switch
    {
        null => null,
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
