using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Media;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The fax call's room: runs in the call's loop on the call it is given, holds no call state of its
/// own. <see cref="StartReceiving"/> puts a T.30 receiver (<see cref="FaxTerminal"/>) on the caller's
/// media in place of an IVR: the leg's received audio goes to the terminal, and the leg plays what the
/// terminal makes. <see cref="End"/>, called when the call ends for whatever reason (T.30 done, the
/// sender's BYE, shutdown), stops the terminal, closes spandsp's file and stores the fax
/// (<see cref="FaxInbox"/>) in the background, so a page that arrived is never lost to a hang-up.
/// </summary>
internal sealed partial class FaxCalls(FaxOptions options, FaxInbox inbox, MediaClock clock, BackgroundSends background, ILogger<FaxCalls> logger)
{
    public ICallKind Kind { get; } = new FaxCallKind(options.Number);

    /// <summary>The platform's fax number: answered in fax mode, and the caller of the faxes it sends.</summary>
    public string Number => options.Number;

    /// <summary>Whether hotline calls listen for a calling fax's tone during the IVR (<c>Fax:DetectTone</c>).</summary>
    public bool DetectsTone => options.DetectTone;

    /// <summary>Logs that a hotline call heard a fax's CNG tone and receives a fax from now on.</summary>
    public void SwitchedToFax(ActiveCall call, bool queued) => LogSwitchedToFax(logger, call.Id, call.CallId, call.Dialed, FaxSender.Shown(call.Caller, call.CallerVerified), queued);

    public void StartReceiving(ActiveCall call, Action<CallEvent> post)
    {
        var (id, tiff) = inbox.Allocate();
        var session = new FaxSession(
            new FaxSessionOptions { Calling = false, ReceiveFile = tiff, Ident = options.EffectiveIdent, Ecm = options.Ecm, Name = id },
            logger);
        var heard = new LiveAudio();
        var toSend = new LiveAudio();
        var terminal = new FaxTerminal(session, heard, toSend, () => call.Media.Format.Law, TimeSpan.FromSeconds(options.MaxCallSeconds), r => post(new CallEvent.FaxEnded(r)));
        call.CarriesFax(new FaxCall(id, tiff, terminal));
        call.Media.Forward = heard;
        call.Media.Player.SetLive(toSend);
        clock.Add(terminal);
        LogReceiving(logger, call.Id, call.CallId, id, FaxSender.Shown(call.Caller, call.CallerVerified));

        // The caller's number is only a claim unless a trusted peer vouched for it: kept as such (FaxSender).
        background.Run(call.Id, call.CallId, "writing the fax's row", () => inbox.StartAsync(id, call.Id, call.Caller, call.CallerVerified, call.Dialed, tiff, CancellationToken.None), _ => { });
    }

    /// <summary>
    /// An outbound fax call has been answered: a T.30 sender of <paramref name="tiffPath"/> (from page
    /// <paramref name="startPage"/>) on its media; <paramref name="sent"/> gets the result when the call ends.
    /// </summary>
    public void StartSending(ActiveCall call, string faxId, string tiffPath, int startPage, TaskCompletionSource<FaxResult> sent, Action<CallEvent> post)
    {
        var session = new FaxSession(
            new FaxSessionOptions { Calling = true, SendFile = tiffPath, StartPage = startPage, Ident = options.EffectiveIdent, Ecm = options.Ecm, Name = faxId },
            logger);
        var heard = new LiveAudio();
        var toSend = new LiveAudio();
        var terminal = new FaxTerminal(session, heard, toSend, () => call.Media.Format.Law, TimeSpan.FromSeconds(options.MaxCallSeconds), r => post(new CallEvent.FaxEnded(r)));
        call.CarriesFax(new FaxCall(faxId, tiffPath, terminal) { Sent = sent });
        call.Media.Forward = heard;
        call.Media.Player.SetLive(toSend);
        clock.Add(terminal);
        LogSending(logger, call.Id, call.CallId, faxId, call.Dialed, startPage);
    }

    /// <summary>The call is ending: the fax ends with it and is stored. Does nothing for a call without a fax, or the second time.</summary>
    public void End(ActiveCall call)
    {
        if (call.Fax is not { Finished: false } fax)
        {
            return;
        }

        fax.Finishes();
        clock.Remove(fax.Terminal);
        var result = fax.Result ?? fax.Terminal.Session.Hangup();
        fax.Resulted(result);

        // Frees spandsp's context, which closes the TIFF it wrote: only then are its pages read.
        fax.Terminal.Session.Dispose();
        call.Media.Forward = null;
        call.Media.Player.SetLive(null);
        if (fax.Sent is { } sent)
        {
            sent.TrySetResult(result);
            return;
        }

        var (id, tiff, callId, caller, verified, dialed) = (fax.Id, fax.TiffPath, call.Id, call.Caller, call.CallerVerified, call.Dialed);
        // Reading the TIFF and converting it start at once on the thread pool: the call's step may be running on a
        // SIP receive thread (the caller's BYE), which must not wait on the disk or a child process.
        background.Run(call.Id, call.CallId, "storing the received fax", async () =>
        {
            await Task.Yield();
            await inbox.FinishAsync(id, callId, caller, verified, dialed, tiff, result, CancellationToken.None);
        }, _ => { });
    }

    [LoggerMessage(5000, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) to {Dialed} from {Caller}: a fax's CNG tone was heard (queued: {Queued}); receiving a fax")]
    private static partial void LogSwitchedToFax(ILogger logger, string callId, string sipCallId, string dialed, string caller, bool queued);

    [LoggerMessage(6111, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): sending fax {FaxId} to {Dialed} from page {StartPage}")]
    private static partial void LogSending(ILogger logger, string callId, string sipCallId, string faxId, string dialed, int startPage);

    [LoggerMessage(6110, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): receiving fax {FaxId} from {Caller}")]
    private static partial void LogReceiving(ILogger logger, string callId, string sipCallId, string faxId, string caller);
}
