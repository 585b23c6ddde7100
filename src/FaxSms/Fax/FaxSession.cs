using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// One T.30 fax over audio (spandsp's fax modems: V.21 for the handshake, V.17/V.29/V.27ter for
/// the image, ECM), fed and drained in 20 ms frames of 8 kHz 16-bit linear samples by whoever
/// paces the call (the media clock). It knows nothing of SIP or RTP: <see cref="Process"/> takes
/// the frame heard and fills the frame to send. When T.30 reaches phase E (or the call is hung up,
/// <see cref="Hangup"/>), <see cref="Result"/> holds the pages, rate and spandsp's completion code.
/// Not thread-safe by design except for <see cref="Hangup"/> and <see cref="Dispose"/>, which take
/// the same lock as <see cref="Process"/>: the clock's thread drives it, the call's loop ends it.
/// </summary>
public sealed class FaxSession : IDisposable
{
    public const int SampleRate = 8000;
    public const int FrameSamples = 160;

    // One delegate for every session: its function pointer is handed to spandsp and must outlive them all.
    private static readonly SpanDsp.PhaseEHandler _phaseE = OnPhaseE;
    private static readonly IntPtr _phaseEPointer = Marshal.GetFunctionPointerForDelegate(_phaseE);
    private static readonly SpanDsp.PhaseDHandler _phaseD = OnPhaseD;
    private static readonly IntPtr _phaseDPointer = Marshal.GetFunctionPointerForDelegate(_phaseD);

    private readonly Lock _gate = new();
    private readonly short[] _in = new short[FrameSamples];
    private readonly short[] _out = new short[FrameSamples];
    private readonly int[] _stats = new int[SpanDsp.StatsInts];
    private readonly bool _sending;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly int _startPage;
    private readonly SpanDsp.MessageHandler? _log;
    private GCHandle _self;
    private IntPtr _fax;
    private IntPtr _t30;
    private FaxResult? _result;
    private long _frames;
    private int _badRows;
    private int _rejections;
    private int? _rejectedPage;

    /// <summary>Starts a session. A file to send that is missing or empty is refused here, before any tone is sent.</summary>
    /// <exception cref="FaxDocumentException">The file to send is missing, empty or not a TIFF.</exception>
    public FaxSession(FaxSessionOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _name = options.Name;
        _startPage = Math.Max(options.StartPage, 0);
        _sending = options.SendFile is not null;
        if (_sending)
        {
            TiffCheck.ThrowIfNotTiff(options.SendFile!);
        }
        else if (string.IsNullOrEmpty(options.ReceiveFile))
        {
            throw new ArgumentException("A fax session either sends a file or receives into one.", nameof(options));
        }

        if (options.Ident.Length > 20)
        {
            throw new ArgumentException("A T.30 identity is 20 characters at most.", nameof(options));
        }

        _fax = SpanDsp.FaxInit(IntPtr.Zero, options.Calling ? 1 : 0);
        if (_fax == IntPtr.Zero)
        {
            throw new InvalidOperationException("spandsp could not start a fax session (fax_init returned NULL).");
        }

        _self = GCHandle.Alloc(this);
        _t30 = SpanDsp.FaxGetT30State(_fax);
        SpanDsp.FaxSetTransmitOnIdle(_fax, 1);
        SpanDsp.T30SetEcmCapability(_t30, options.Ecm ? 1 : 0);
        SpanDsp.T30SetSupportedModems(_t30, (int)options.Modems);
        if (options.Ident.Length > 0)
        {
            SpanDsp.T30SetTxIdent(_t30, options.Ident);
        }

        if (_sending)
        {
            SpanDsp.T30SetTxFile(_t30, options.SendFile!, options.StartPage > 0 ? options.StartPage : -1, -1);
        }
        else
        {
            SpanDsp.T30SetRxFile(_t30, options.ReceiveFile!, -1);
        }

        SpanDsp.T30SetPhaseEHandler(_t30, _phaseEPointer, GCHandle.ToIntPtr(_self));
        SpanDsp.T30SetPhaseDHandler(_t30, _phaseDPointer, GCHandle.ToIntPtr(_self));
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // The handler has no user data in spandsp 0.0.6: one closure per session names it.
            _log = (level, text) => FaxSmsLog.T30Line(_logger, _name, (Marshal.PtrToStringUTF8(text) ?? "").TrimEnd());
            var pointer = Marshal.GetFunctionPointerForDelegate(_log);
            foreach (var logging in new[] { SpanDsp.FaxGetLoggingState(_fax), SpanDsp.T30GetLoggingState(_t30) })
            {
                SpanDsp.SpanLogSetMessageHandler(logging, pointer);
                SpanDsp.SpanLogSetLevel(logging, SpanDsp.LogShowSeverity | SpanDsp.LogShowProtocol | SpanDsp.LogFlow);
            }
        }
    }

    /// <summary>True once T.30 has ended (phase E or a hang-up): <see cref="Result"/> is set.</summary>
    public bool Completed
    {
        get
        {
            lock (_gate)
            {
                return _result is not null;
            }
        }
    }

    /// <summary>The outcome once <see cref="Completed"/>, otherwise null.</summary>
    public FaxResult? Result
    {
        get
        {
            lock (_gate)
            {
                return _result;
            }
        }
    }

    /// <summary>
    /// Pages across so far, while T.30 runs: when sending, the pages the far end has confirmed (MCF);
    /// when receiving, the pages taken whole. A page under way is not counted.
    /// </summary>
    public int Pages
    {
        get
        {
            lock (_gate)
            {
                if (_result is not null)
                {
                    return _result.Pages;
                }

                if (_t30 == IntPtr.Zero)
                {
                    return 0;
                }

                SpanDsp.T30GetTransferStatistics(_t30, _stats);
                return _sending ? _stats[SpanDsp.StatPagesTx] : _stats[SpanDsp.StatPagesRx];
            }
        }
    }

    /// <summary>Audio processed so far.</summary>
    public TimeSpan Elapsed => TimeSpan.FromMilliseconds(Interlocked.Read(ref _frames) * 20);

    /// <summary>
    /// One 20 ms step: <paramref name="heard"/> (160 samples, or empty when the frame was lost, which
    /// spandsp fills in) goes to the receiver, and <paramref name="send"/> gets the next 160 samples.
    /// After the end, or after <see cref="Dispose"/>, it sends silence.
    /// </summary>
    public void Process(ReadOnlySpan<short> heard, Span<short> send)
    {
        if (send.Length < FrameSamples)
        {
            throw new ArgumentException($"A frame is {FrameSamples} samples.", nameof(send));
        }

        lock (_gate)
        {
            if (_fax == IntPtr.Zero)
            {
                send[..FrameSamples].Clear();
                return;
            }

            if (heard.IsEmpty)
            {
                SpanDsp.FaxRxFillIn(_fax, FrameSamples);
            }
            else
            {
                if (heard.Length != FrameSamples)
                {
                    throw new ArgumentException($"A frame is {FrameSamples} samples.", nameof(heard));
                }

                heard.CopyTo(_in);
                SpanDsp.FaxRx(_fax, _in, FrameSamples);
            }

            var made = SpanDsp.FaxTx(_fax, _out, FrameSamples);
            _out.AsSpan(0, made).CopyTo(send);
            send[made..FrameSamples].Clear();
            _frames++;
        }
    }

    /// <summary>
    /// The call ended: if T.30 has not finished, spandsp is told (its phase E reports "call
    /// dropped" with the pages completed so far) and the result is kept.
    /// </summary>
    public FaxResult Hangup()
    {
        lock (_gate)
        {
            if (_result is null && _t30 != IntPtr.Zero)
            {
                SpanDsp.T30Terminate(_t30);
            }

            return _result ?? new FaxResult(false, 0, 0, false, -1, "The fax session was closed before it started.");
        }
    }

    /// <summary>Ends the session (as <see cref="Hangup"/>) and frees spandsp's context, which closes the received TIFF.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_fax == IntPtr.Zero)
            {
                return;
            }

            if (_result is null)
            {
                SpanDsp.T30Terminate(_t30);
            }

            SpanDsp.FaxFree(_fax);
            _fax = IntPtr.Zero;
            _t30 = IntPtr.Zero;
            _self.Free();
        }

        GC.KeepAlive(_log);
    }

    // Called by spandsp inside fax_rx/fax_tx/t30_terminate, so on the thread that holds _gate.
    private static void OnPhaseE(IntPtr t30, IntPtr userData, int completionCode)
    {
        if (GCHandle.FromIntPtr(userData).Target is FaxSession session)
        {
            session.Complete(completionCode);
        }
    }

    // Phase D: a page's post-page message (receiving) or the receiver's answer to it (sending); the statistics are
    // that page's (bad rows as the T.4 decoder counted them). The return value is not read by spandsp 0.0.6.
    private static int OnPhaseD(IntPtr t30, IntPtr userData, int result)
    {
        if (GCHandle.FromIntPtr(userData).Target is not FaxSession session)
        {
            return 0;
        }

        SpanDsp.T30GetTransferStatistics(t30, session._stats);
        if (session._sending)
        {
            session.Answered(result);
            return 0;
        }

        var bad = session._stats[SpanDsp.StatBadRows];
        var rows = session._stats[SpanDsp.StatLength];
        if (bad > 0 && bad * 20 >= rows * 3)
        {
            // spandsp's copy-quality rule (t30.c): 15 % of the rows bad or more is refused with RTN and the page
            // dropped, so its rows are no damage of a page kept; the sender may send it again.
            session._rejections++;
            FaxSmsLog.T30PageRefusedHere(session._logger, session._name, bad, rows);
        }
        else if (bad > 0)
        {
            session._badRows += bad;
            // A page kept is counted before phase D (t30.c rx_end_page), so it is the last one counted.
            FaxSmsLog.T30BadRows(session._logger, session._name, session._stats[SpanDsp.StatPagesRx], bad, session._stats[SpanDsp.StatLongestBadRowRun]);
        }

        return 0;
    }

    /// <summary>
    /// The receiving machine's answer to a page (T.30 5.3.6.1.6): MCF or RTP confirm it; RTN or PIN refuse it (its copy
    /// quality was too poor). After MPS spandsp retrains one speed lower and sends the refused page again, and after EOP it
    /// disconnects, then reporting success though the last page never arrived: so the refusal is kept until the page is confirmed.
    /// </summary>
    private void Answered(int answer)
    {
        switch (answer)
        {
            case SpanDsp.FcfRtn or SpanDsp.FcfPin:
                _rejections++;
                _rejectedPage = _startPage + _stats[SpanDsp.StatPagesTx] + 1;
                FaxSmsLog.T30PageRefused(_logger, _name, _rejectedPage.Value, answer == SpanDsp.FcfRtn ? "RTN" : "PIN", _stats[SpanDsp.StatBitRate]);
                break;
            case SpanDsp.FcfMcf or SpanDsp.FcfRtp:
                _rejectedPage = null;
                break;
        }
    }

    private void Complete(int code)
    {
        if (_result is not null)
        {
            return;
        }

        SpanDsp.T30GetTransferStatistics(_t30, _stats);
        var pages = _sending ? _stats[SpanDsp.StatPagesTx] : _stats[SpanDsp.StatPagesRx];
        var rate = _stats[SpanDsp.StatBitRate];
        var ecm = _stats[SpanDsp.StatEcm] != 0;
        _result = code == FaxResult.Ok && _rejectedPage is { } refused
            ? new FaxResult(false, pages, rate, ecm, FaxResult.PageRefused, $"The receiving machine refused page {refused} (RTN: its copy quality was too poor) and the call ended", _badRows, _rejections)
            : new FaxResult(code == FaxResult.Ok, pages, rate, ecm, code, SpanDsp.CompletionText(code), _badRows, _rejections);
        FaxSmsLog.T30Ended(_logger, _name, _result.Succeeded, pages, _result.BitRate, _result.Ecm, code, _result.Summary);
    }
}
