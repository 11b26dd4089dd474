namespace BeamDAQ.Daq.Digitizers.Hs4.Native;

/// <summary>The constants of <c>libtiepie-hw.h</c> the driver uses.</summary>
internal static class TiePieConstants
{
    public const uint HandleInvalid = 0;
    public const byte BoolFalse = 0;
    public const byte BoolTrue = 1;

    public const uint DeviceTypeOscilloscope = 0x00000001;

    public const uint ProductIdHs4 = 15;
    public const uint ProductIdHs4Diff = 20;

    /// <summary>TIEPIE_HW_MM_BLOCK = 1 &lt;&lt; TIEPIE_HW_MMB_BLOCK.</summary>
    public const uint MeasureModeBlock = 1 << 1;

    /// <summary>TIEPIE_HW_ARM_DISABLED: the resolution never changes by itself.</summary>
    public const uint AutoResolutionDisabled = 1 << 0;

    /// <summary>TIEPIE_HW_CK_DCV and TIEPIE_HW_CK_ACV.</summary>
    public const ulong CouplingDcVolt = 1 << 0;
    public const ulong CouplingAcVolt = 1 << 1;

    /// <summary>TIEPIE_HW_TK_RISINGEDGE and TIEPIE_HW_TK_FALLINGEDGE.</summary>
    public const ulong TriggerKindRisingEdge = 1UL << 0;
    public const ulong TriggerKindFallingEdge = 1UL << 1;

    /// <summary>TIEPIE_HW_TO_INFINITY: never trigger on time-out.</summary>
    public const double TimeoutInfinity = -1.0;

    /// <summary>TIEPIE_HW_TRIGGERIO_INDEX_INVALID.</summary>
    public const ushort TriggerIoIndexInvalid = 0xffff;

    /// <summary>
    /// TIEPIE_HW_TIID_EXT1 = TIEPIE_HW_TRIGGER_IO_ID(PGID_EXTERNAL_DSUB = 3, SGID_PIN1 = 1, FID_EXT_TRIGGERED = 0)
    /// = (0 &lt;&lt; 24) | (3 &lt;&lt; 20) | (1 &lt;&lt; 8) | 0.
    /// </summary>
    public const uint TriggerInputIdExt1 = (3u << 20) | (1u << 8);
}

/// <summary>tiepie_hw_status: 0 success, &gt; 0 success with a side effect, &lt; 0 error.</summary>
internal enum TiePieStatus
{
    ValueModified = 2,
    ValueClipped = 1,
    Success = 0,
    Unsuccessful = -1,
    NotSupported = -2,
    InvalidHandle = -3,
    InvalidValue = -4,
    InvalidChannel = -5,
    InvalidTriggerSource = -6,
    InvalidDeviceType = -7,
    InvalidDeviceIndex = -8,
    InvalidProductId = -9,
    InvalidDeviceSerialNumber = -10,
    ObjectGone = -11,
    InternalAddress = -12,
    NotControllable = -13,
    BitError = -14,
    NoAcknowledge = -15,
    InvalidContainedDeviceSerialNumber = -16,
    InvalidInput = -17,
    InvalidOutput = -18,
    NotAvailable = -20,
    InvalidFirmware = -21,
    InvalidIndex = -22,
    InvalidEeprom = -23,
    InitializationFailed = -24,
    LibraryNotInitialized = -25,
    NoTriggerEnabled = -26,
    SynchronizationFailed = -29,
    InvalidHs56CombinedDevice = -30,
    MeasurementRunning = -31,
    WirelessTriggerModuleNotConnected = -32,
}
