using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BeamDAQ.Daq.Digitizers.Hs4.Native;

/// <summary>
/// Raw imports of libtiepie-hw (TiePie engineering's instrument library, C API v1.x, cdecl), one per C
/// function, named as in <c>libtiepie-hw.h</c>. No status checks here: every call sets the library's
/// last-status flag, which <see cref="Interop.CheckedLibTiePie"/> reads. Types: tiepie_hw_handle = uint32,
/// tiepie_hw_bool = uint8, channel and trigger-input indices = uint16.
/// </summary>
internal static unsafe partial class LibTiePieNative
{
    /// <summary>The runtime name (SONAME) of libtiepie-hw on Linux.</summary>
    public const string LibraryName = "libtiepie-hw.so.1";

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void tiepie_hw_init();

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void tiepie_hw_fini();

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial TiePieVersion* tiepie_hw_get_version();

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int tiepie_hw_get_last_status();

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* tiepie_hw_get_last_status_str();

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void tiepie_hw_devicelist_update();

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_devicelist_get_count();

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_devicelist_get_item_by_index(uint index);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_devicelist_get_item_by_serial_number(uint serialNumber);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_devicelistitem_can_open(uint item, uint deviceType);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_devicelistitem_open_oscilloscope(uint item);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_devicelistitem_get_product_id(uint item);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_devicelistitem_get_serial_number(uint item);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_devicelistitem_get_name(uint item, byte* buffer, uint length);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void tiepie_hw_object_close(uint handle);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_object_is_removed(uint handle);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_device_get_serial_number(uint device);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_device_get_name(uint device, byte* buffer, uint length);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial ushort tiepie_hw_device_trigger_get_input_count(uint device);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial ushort tiepie_hw_device_trigger_get_input_index_by_id(uint device, uint id);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_device_trigger_input_set_enabled(uint device, ushort input, byte value);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial ulong tiepie_hw_device_trigger_input_set_kind(uint device, ushort input, ulong value);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial ushort tiepie_hw_oscilloscope_get_channel_count(uint scp);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_oscilloscope_get_measure_modes(uint scp);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_oscilloscope_set_measure_mode(uint scp, uint value);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint tiepie_hw_oscilloscope_set_auto_resolution_mode(uint scp, uint value);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_oscilloscope_set_resolution(uint scp, byte value);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_oscilloscope_channel_set_enabled(uint scp, ushort ch, byte value);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial double tiepie_hw_oscilloscope_channel_set_range(uint scp, ushort ch, double range);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial ulong tiepie_hw_oscilloscope_channel_set_coupling(uint scp, ushort ch, ulong coupling);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_oscilloscope_channel_has_trigger(uint scp, ushort ch);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_oscilloscope_channel_trigger_set_enabled(uint scp, ushort ch, byte value);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial double tiepie_hw_oscilloscope_set_sample_rate(uint scp, double value);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial ulong tiepie_hw_oscilloscope_set_record_length(uint scp, ulong recordLength);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial double tiepie_hw_oscilloscope_set_pre_sample_ratio(uint scp, double value);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial double tiepie_hw_oscilloscope_trigger_set_timeout(uint scp, double value);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_oscilloscope_start(uint scp);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_oscilloscope_stop(uint scp);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_oscilloscope_is_data_ready(uint scp);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_oscilloscope_is_data_overflow(uint scp);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte tiepie_hw_oscilloscope_is_timeout_triggered(uint scp);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial ulong tiepie_hw_oscilloscope_get_valid_pre_sample_count(uint scp);

    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial ulong tiepie_hw_oscilloscope_get_data(uint scp, float** buffers, ushort channelCount, ulong startIndex, ulong sampleCount);
}

/// <summary>struct tiepie_hw_version.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TiePieVersion
{
    public ushort Major;
    public ushort Minor;
    public ushort Patch;
    public ushort Build;
    public byte* Extra;
}
