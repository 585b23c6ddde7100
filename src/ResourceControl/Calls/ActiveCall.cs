using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>A call to a hotline the platform has answered (or is answering): its dialog and media.</summary>
internal sealed class ActiveCall(string id, string caller, string dialed, SipDialog dialog, RtpSession media, SipRemote signalling)
{
    /// <summary>The platform's id for the call (also the key of its record).</summary>
    public string Id { get; } = id;

    /// <summary>The caller's number: P-Asserted-Identity user, else the From user (design.md section 4).</summary>
    public string Caller { get; } = caller;

    public string Dialed { get; } = dialed;

    public SipDialog Dialog { get; } = dialog;

    public RtpSession Media { get; } = media;

    /// <summary>Where the caller's signalling comes from (their transport and address).</summary>
    public SipRemote Signalling { get; } = signalling;

    /// <summary>True once the caller's ACK for our 200 arrived.</summary>
    public bool Confirmed { get; set; }
}
