using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Agents;
using CallCenter.Telephony.Sip.Transactions;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// An agent whose phone is the browser (a SIP over WebSocket binding): the leg's media is WebRTC
/// (<see cref="Telephony.Rtp.RtpSession.WebRtc"/>), bridged and recorded like any G.711 leg. When
/// that media fails for good (the DTLS handshake never finishes, the browser's SRTP keeps failing
/// authentication, nothing heard from the browser for 30 s) only this leg ends: the browser gets a BYE,
/// the agent goes to wrap-up and then on a break, and the caller waits in their queue again, with
/// music, for the next agent (an outbound call with no queue ends instead).
/// </summary>
internal sealed partial class AgentLegs
{
    /// <summary>Posts <see cref="CallEvent.BrowserMediaFailed"/> to the call should the bridged browser leg's media fail.</summary>
    private void WatchBrowserMedia(ActiveCall call, AgentLeg leg)
    {
        if (leg.Media.WebRtc is null)
        {
            return;
        }

        _ = leg.Media.MediaFailure.ContinueWith(
            failed =>
            {
                if (failed.Result is { } reason)
                {
                    legs.Post(call, new CallEvent.BrowserMediaFailed(leg, reason));
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// In the call's loop: the browser leg's media failed; that leg ends and the caller is queued again.
    /// The agent goes on a break ("browser-media-failed") after the wrap-up rather than back to
    /// available, so a browser whose media cannot work (a firewall, a VPN) is not handed one caller
    /// after another. An outbound call that never waited in a queue (a click-to-dial, a preview dial)
    /// is not the inbound queue's: it ends, and the disposition says why.
    /// </summary>
    public async Task<CallDisposition?> BrowserMediaFailedAsync(ActiveCall call, AgentLeg leg, string reason)
    {
        if (call.Ended || call.AgentLeg != leg || leg.Dialog is null)
        {
            return null; // the leg ended some other way meanwhile
        }

        LogBrowserMediaFailed(logger, call.Id, call.CallId, leg.Extension, reason);
        presence.Apply(leg.Extension, new AgentEvent.SetBreak(BrowserMediaFailedBreak));
        var now = time.GetUtcNow();
        call.AgentLegLeft();
        leg.Failed("media-failed");
        CloseBridgedLeg(call, leg, "media-failed", now);
        call.Media.Player.SetBackground(prompts.MusicOnHold);
        CallRecording.Detach(call);
        events.Write(EventKind.CallOfferFailed, call, leg.Extension, new { outcome = "media-failed", reason });
        await ReleaseBridgedLegAsync(call, leg, sendBye: true);
        if (call.Callback is { AgentOwned: true } || (call.Waiting is null && call.Callback is not null))
        {
            return CallDisposition.AgentMediaFailed;
        }

        var waiting = call.WaitingOrNew(now);
        call.WaitsAs(waiting);
        queues.Enqueue(waiting, call.Language ?? "zh", list => legs.Post(call, new CallEvent.Announce(list)));
        return null;
    }

    /// <summary>The break an agent is put on after their browser's media failed.</summary>
    public const string BrowserMediaFailedBreak = "browser-media-failed";

    /// <summary>
    /// A browser's new offer in the call (JsSIP's hold, an ICE restart) is refused with 488 and the
    /// call goes on as it was (RFC 3261 14.2): the browser phone holds through the desk's button.
    /// </summary>
    private async Task RefuseBrowserOfferAsync(SipServerTransaction transaction, ActiveCall call, AgentLeg leg)
    {
        LogBrowserOfferRefused(logger, call.Id, call.CallId, leg.Extension);
        var refused = transaction.CreateResponse(488);
        refused.Headers.Add("Warning", "399 callcenter \"a browser leg is held from the desk; its media is not renegotiated\"");
        await transaction.SendResponseAsync(refused);
    }

    [LoggerMessage(4000, LogLevel.Warning, "Call {CallId} (SIP {SipCallId}): the browser leg of agent {Agent} failed ({Reason}); the caller waits in the queue again")]
    private static partial void LogBrowserMediaFailed(ILogger logger, string callId, string sipCallId, string agent, string reason);

    [LoggerMessage(4001, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): a new offer from agent {Agent}'s browser refused (488); the call goes on")]
    private static partial void LogBrowserOfferRefused(ILogger logger, string callId, string sipCallId, string agent);
}
