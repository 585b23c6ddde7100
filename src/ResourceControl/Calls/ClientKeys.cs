using CallCenter.Telephony.Rtp;

namespace CallCenter.ResourceControl.Calls;

/// <summary>Where a new-account call's question to its client stands (<see cref="CallbackAttempt.Question"/>).</summary>
internal enum ClientQuestion
{
    /// <summary>No question: not a new-account call, or its client has not answered the phone yet.</summary>
    None,

    /// <summary>The question was put to the client: their first 1 or 2 is their answer.</summary>
    Asked,

    /// <summary>The client answered by key; later keys change nothing.</summary>
    Answered,

    /// <summary>
    /// The question was put and repeated and the client pressed no key: it no longer stands (later keys change nothing),
    /// and the agent's wrap-up code may record the answer.
    /// </summary>
    NoKey,
}

/// <summary>
/// The events of an outbound call's client leg, the call's own media (<see cref="ActiveCall.Media"/>): a key the
/// client pressed becomes <see cref="CallEvent.ClientKey"/>. Set on that session alone, so an RFC 4733 event
/// from the agent's phone (the agent's own leg and RTP session, only relayed towards the client) never reaches
/// it, and the session keeps to the one source it locked on (the client's), as every leg does. Posted only.
/// </summary>
internal sealed class ClientKeys(ActiveCall call, Func<ActiveCall, CallEvent, PostOutcome> post) : IRtpSessionEvents
{
    public void OnDigit(RtpSession session, char digit) => post(call, new CallEvent.ClientKey(digit));

    // The question's end changes nothing (the answer may come after it); a fax tone is not an answer.
    public void OnPlaybackFinished(RtpSession session, long playbackId)
    {
    }

    public void OnFaxTone(RtpSession session)
    {
    }
}
