using System.Runtime.InteropServices;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// The few functions of Debian's libspandsp2 (0.0.6) the fax engine calls. Only opaque pointers
/// cross: the fax and T.30 contexts are allocated and freed by the library (fax_init with NULL,
/// fax_free), so no struct layout of spandsp's is copied here. The one struct read is
/// <c>t30_stats_t</c>, fifteen ints (t30.h), read into a larger int array.
/// </summary>
internal static partial class SpanDsp
{
    private const string Library = "libspandsp.so.2";

    // t30.h: T30_SUPPORT_V27TER, T30_SUPPORT_V29, T30_SUPPORT_V17.
    public const int ModemV27ter = 0x01;
    public const int ModemV29 = 0x02;
    public const int ModemV17 = 0x04;

    // t30_fcf.h: the receiver's answers to a page (the DIS-received bit masked off, as phase D is given them).
    public const int FcfMcf = 0x8C;
    public const int FcfRtp = 0xCC;
    public const int FcfRtn = 0x4C;
    public const int FcfPin = 0x2C;

    // logging.h: show the severity and the protocol, log at FLOW (T.30 frames and phases).
    public const int LogShowSeverity = 0x0400;
    public const int LogShowProtocol = 0x0800;
    public const int LogFlow = 5;

    /// <summary>The number of ints in <c>t30_stats_t</c> (t30.h), with room to spare.</summary>
    public const int StatsInts = 32;

    // t30_stats_t field order (t30.h).
    public const int StatBitRate = 0;
    public const int StatEcm = 1;
    public const int StatPagesTx = 2;
    public const int StatPagesRx = 3;
    public const int StatPagesInFile = 4;
    public const int StatLength = 8;
    public const int StatBadRows = 11;
    public const int StatLongestBadRowRun = 12;

    /// <summary><c>void (*)(t30_state_t *s, void *user_data, int completion_code)</c>.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void PhaseEHandler(IntPtr t30, IntPtr userData, int completionCode);

    /// <summary><c>int (*)(t30_state_t *s, void *user_data, int result)</c>: phase D, after each page's post-page message.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int PhaseDHandler(IntPtr t30, IntPtr userData, int result);

    /// <summary><c>void (*)(int level, const char *text)</c>: logging.h's message handler (no user data in 0.0.6).</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate void MessageHandler(int level, IntPtr text);

    [LibraryImport(Library, EntryPoint = "fax_init")]
    public static partial IntPtr FaxInit(IntPtr state, int callingParty);

    [LibraryImport(Library, EntryPoint = "fax_free")]
    public static partial int FaxFree(IntPtr state);

    [LibraryImport(Library, EntryPoint = "fax_rx")]
    public static partial int FaxRx(IntPtr state, [In] short[] amp, int length);

    [LibraryImport(Library, EntryPoint = "fax_rx_fillin")]
    public static partial int FaxRxFillIn(IntPtr state, int length);

    [LibraryImport(Library, EntryPoint = "fax_tx")]
    public static partial int FaxTx(IntPtr state, [Out] short[] amp, int maxLength);

    [LibraryImport(Library, EntryPoint = "fax_set_transmit_on_idle")]
    public static partial void FaxSetTransmitOnIdle(IntPtr state, int transmitOnIdle);

    [LibraryImport(Library, EntryPoint = "fax_get_t30_state")]
    public static partial IntPtr FaxGetT30State(IntPtr state);

    [LibraryImport(Library, EntryPoint = "fax_get_logging_state")]
    public static partial IntPtr FaxGetLoggingState(IntPtr state);

    [LibraryImport(Library, EntryPoint = "t30_get_logging_state")]
    public static partial IntPtr T30GetLoggingState(IntPtr t30);

    [LibraryImport(Library, EntryPoint = "t30_set_tx_file", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void T30SetTxFile(IntPtr t30, string file, int startPage, int stopPage);

    [LibraryImport(Library, EntryPoint = "t30_set_rx_file", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void T30SetRxFile(IntPtr t30, string file, int stopPage);

    [LibraryImport(Library, EntryPoint = "t30_set_tx_ident", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int T30SetTxIdent(IntPtr t30, string ident);

    [LibraryImport(Library, EntryPoint = "t30_get_rx_ident")]
    public static partial IntPtr T30GetRxIdent(IntPtr t30);

    [LibraryImport(Library, EntryPoint = "t30_set_ecm_capability")]
    public static partial int T30SetEcmCapability(IntPtr t30, int enabled);

    [LibraryImport(Library, EntryPoint = "t30_set_supported_modems")]
    public static partial int T30SetSupportedModems(IntPtr t30, int modems);

    [LibraryImport(Library, EntryPoint = "t30_set_phase_e_handler")]
    public static partial void T30SetPhaseEHandler(IntPtr t30, IntPtr handler, IntPtr userData);

    [LibraryImport(Library, EntryPoint = "t30_set_phase_d_handler")]
    public static partial void T30SetPhaseDHandler(IntPtr t30, IntPtr handler, IntPtr userData);

    [LibraryImport(Library, EntryPoint = "t30_get_transfer_statistics")]
    public static partial void T30GetTransferStatistics(IntPtr t30, [Out] int[] stats);

    [LibraryImport(Library, EntryPoint = "t30_terminate")]
    public static partial void T30Terminate(IntPtr t30);

    [LibraryImport(Library, EntryPoint = "t30_completion_code_to_str")]
    public static partial IntPtr T30CompletionCodeToString(int code);

    [LibraryImport(Library, EntryPoint = "span_log_set_level")]
    public static partial int SpanLogSetLevel(IntPtr logging, int level);

    [LibraryImport(Library, EntryPoint = "span_log_set_message_handler")]
    public static partial void SpanLogSetMessageHandler(IntPtr logging, IntPtr handler);

    public static string CompletionText(int code) => Marshal.PtrToStringUTF8(T30CompletionCodeToString(code)) ?? $"T.30 code {code}";
}
