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

    public uint DeviceListCount()
    {
        uint count = Raw.DeviceListGetCount();
        Check("tiepie_hw_devicelist_get_count");
        return count;
    }

    public TiePieHandle DeviceListItemByIndex(uint index)
    {
        uint item = Raw.DeviceListGetItemByIndex(index);
        Check("tiepie_hw_devicelist_get_item_by_index");
        return new TiePieHandle(Raw, item);
    }

    /// <summary>The list item of the device with <paramref name="serialNumber"/>, or null when no such device is attached.</summary>
    public TiePieHandle? DeviceListItemBySerialNumber(uint serialNumber)
    {
        uint item = Raw.DeviceListGetItemBySerialNumber(serialNumber);
        var status = Status();
        if (status == TiePieStatus.InvalidDeviceSerialNumber || item == TiePieConstants.HandleInvalid) return null;
        Throw(status, "tiepie_hw_devicelist_get_item_by_serial_number");
        return new TiePieHandle(Raw, item);
    }

    public bool CanOpenOscilloscope(TiePieHandle item)
    {
        bool can = Raw.DeviceListItemCanOpen(item.Value, TiePieConstants.DeviceTypeOscilloscope);
        Check("tiepie_hw_devicelistitem_can_open");
        return can;
    }

    /// <summary>Opens the item's oscilloscope; null when it cannot be opened (e.g. in use by another program).</summary>
    public TiePieHandle? OpenOscilloscope(TiePieHandle item)
    {
        uint scp = Raw.DeviceListItemOpenOscilloscope(item.Value);
        var status = Status();
        if (scp == TiePieConstants.HandleInvalid) return null;
        Throw(status, "tiepie_hw_devicelistitem_open_oscilloscope");
        return new TiePieHandle(Raw, scp);
    }

    public uint ItemProductId(TiePieHandle item)
    {
        uint id = Raw.DeviceListItemGetProductId(item.Value);
        Check("tiepie_hw_devicelistitem_get_product_id");
        return id;
    }

    public uint ItemSerialNumber(TiePieHandle item)
    {
        uint serial = Raw.DeviceListItemGetSerialNumber(item.Value);
        Check("tiepie_hw_devicelistitem_get_serial_number");
        return serial;
    }

    public string ItemName(TiePieHandle item)
    {
        string name = Raw.DeviceListItemGetName(item.Value);
        Check("tiepie_hw_devicelistitem_get_name");
        return name;
    }

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

    public uint SerialNumber(TiePieHandle scp)
    {
        uint serial = Raw.DeviceGetSerialNumber(scp.Value);
        Check("tiepie_hw_device_get_serial_number");
        return serial;
    }

    public string Name(TiePieHandle scp)
    {
        string name = Raw.DeviceGetName(scp.Value);
        Check("tiepie_hw_device_get_name");
        return name;
    }

    public ushort TriggerInputCount(TiePieHandle scp)
    {
        ushort count = Raw.DeviceTriggerGetInputCount(scp.Value);
        Check("tiepie_hw_device_trigger_get_input_count");
        return count;
    }

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

    public ushort ChannelCount(TiePieHandle scp)
    {
        ushort count = Raw.OscilloscopeGetChannelCount(scp.Value);
        Check("tiepie_hw_oscilloscope_get_channel_count");
        return count;
    }

    public uint MeasureModes(TiePieHandle scp)
    {
        uint modes = Raw.OscilloscopeGetMeasureModes(scp.Value);
        Check("tiepie_hw_oscilloscope_get_measure_modes");
        return modes;
    }

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

    public bool ChannelHasTrigger(TiePieHandle scp, ushort ch)
    {
        bool has = Raw.OscilloscopeChannelHasTrigger(scp.Value, ch);
        Check("tiepie_hw_oscilloscope_channel_has_trigger");
        return has;
    }

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

    public bool IsDataReady(TiePieHandle scp)
    {
        bool ready = Raw.OscilloscopeIsDataReady(scp.Value);
        Check("tiepie_hw_oscilloscope_is_data_ready");
        return ready;
    }

    public bool IsDataOverflow(TiePieHandle scp)
    {
        bool overflow = Raw.OscilloscopeIsDataOverflow(scp.Value);
        Check("tiepie_hw_oscilloscope_is_data_overflow");
        return overflow;
    }

    public bool IsTimeoutTriggered(TiePieHandle scp)
    {
        bool timeout = Raw.OscilloscopeIsTimeoutTriggered(scp.Value);
        Check("tiepie_hw_oscilloscope_is_timeout_triggered");
        return timeout;
    }

    public ulong ValidPreSampleCount(TiePieHandle scp)
    {
        ulong count = Raw.OscilloscopeGetValidPreSampleCount(scp.Value);
        Check("tiepie_hw_oscilloscope_get_valid_pre_sample_count");
        return count;
    }

    public unsafe ulong GetData(TiePieHandle scp, float** buffers, ushort channelCount, ulong start, ulong count)
    {
        ulong read = Raw.OscilloscopeGetData(scp.Value, buffers, channelCount, start, count);
        Check("tiepie_hw_oscilloscope_get_data");
        return read;
    }

    // ---- status --------------------------------------------------------------------------------------

    private TiePieStatus Status() => (TiePieStatus)Raw.GetLastStatus();

    private void Check(string function) => Throw(Status(), function);

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
