using System.Globalization;
using BeamDAQ.Daq.Digitizers.Hs4.Interop;
using BeamDAQ.Daq.Digitizers.Hs4.Native;
using BeamDAQ.Daq.Digitizers.Timing;

namespace BeamDAQ.Daq.Digitizers.Hs4;

/// <summary>
/// Finds and opens Handyscope HS4s through libtiepie-hw. The library is loaded and initialised on first use,
/// so a machine without it can still run the simulator; a missing library is a <see cref="LibTiePieException"/>
/// saying what to install.
/// </summary>
public sealed class Hs4Provider : IDigitizerProvider, IDisposable
{
    private readonly CheckedLibTiePie _lib;
    private readonly IDaqClock _clock;
    private readonly object _lock = new();
    private bool _initialised, _disposed;
    private string _version = "";

    /// <summary>A provider over the installed libtiepie-hw, polling on the wall clock.</summary>
    public Hs4Provider() : this(new NativeLibTiePie(), RealTimeClock.Instance) { }

    internal Hs4Provider(ILibTiePie lib, IDaqClock clock)
    {
        _lib = new CheckedLibTiePie(lib);
        _clock = clock;
    }

    public IReadOnlyList<DigitizerIdentity> ListDevices()
    {
        EnsureInitialised();
        _lib.DeviceListUpdate();
        var devices = new List<DigitizerIdentity>();
        uint count = _lib.DeviceListCount();
        for (uint i = 0; i < count; i++)
        {
            using var item = _lib.DeviceListItemByIndex(i);
            if (item.IsInvalid || !IsHs4(item) || !_lib.CanOpenOscilloscope(item)) continue;
            devices.Add(new DigitizerIdentity(_lib.ItemName(item), _lib.ItemSerialNumber(item).ToString(CultureInfo.InvariantCulture), DriverVersion));
        }
        return devices;
    }

    public IDigitizer? TryOpen(string? serialNumber)
    {
        EnsureInitialised();
        _lib.DeviceListUpdate();
        if (serialNumber is null)
        {
            uint count = _lib.DeviceListCount();
            for (uint i = 0; i < count; i++)
            {
                using var item = _lib.DeviceListItemByIndex(i);
                if (item.IsInvalid || !IsHs4(item) || !_lib.CanOpenOscilloscope(item)) continue;
                if (Open(item) is { } digitizer) return digitizer;
            }
            return null;
        }
        if (!uint.TryParse(serialNumber, NumberStyles.None, CultureInfo.InvariantCulture, out uint serial))
            throw new DigitizerSettingsException("serial", serialNumber, "a TiePie serial number (digits only, as `beamdaq-daq devices` lists it)");
        using var found = _lib.DeviceListItemBySerialNumber(serial);
        if (found is null || found.IsInvalid) return null;
        if (!IsHs4(found))
            throw new DigitizerSettingsException("serial", serialNumber, $"the serial number of a Handyscope HS4; device {serialNumber} is a '{_lib.ItemName(found)}'");
        return _lib.CanOpenOscilloscope(found) ? Open(found) : null;
    }

    public string DriverVersion
    {
        get
        {
            EnsureInitialised();
            return _version;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            if (_initialised) _lib.Fini();
        }
    }

    private Hs4Digitizer? Open(TiePieHandle item)
    {
        var scp = _lib.OpenOscilloscope(item);
        if (scp is null) return null;
        try
        {
            if ((_lib.MeasureModes(scp) & TiePieConstants.MeasureModeBlock) == 0)
                throw new LibTiePieException("tiepie_hw_oscilloscope_get_measure_modes", "no block mode", "this oscilloscope cannot measure in block mode");
            return new Hs4Digitizer(_lib, scp, DriverVersion, _clock);
        }
        catch
        {
            scp.Dispose();
            throw;
        }
    }

    private bool IsHs4(TiePieHandle item) =>
        _lib.ItemProductId(item) is TiePieConstants.ProductIdHs4 or TiePieConstants.ProductIdHs4Diff;

    private void EnsureInitialised()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_initialised) return;
            _lib.Init();
            _version = "libtiepie-hw " + _lib.Version;
            _initialised = true;
        }
    }
}
