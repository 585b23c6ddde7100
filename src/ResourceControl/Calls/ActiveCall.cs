using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>A call to a hotline the platform has answered: its dialog identity and media.</summary>
internal sealed class ActiveCall(string callId, string localTag, string remoteTag, string caller, string dialed, RtpSession media, SipRemote signalling)
{
    public string CallId { get; } = callId;

    /// <summary>Our To tag: with the Call-ID it finds the call for in-dialog requests.</summary>
    public string LocalTag { get; } = localTag;

    public string RemoteTag { get; } = remoteTag;

    /// <summary>The caller's number: P-Asserted-Identity user, else the From user (design.md section 4).</summary>
    public string Caller { get; } = caller;

    public string Dialed { get; } = dialed;

    public RtpSession Media { get; } = media;

    /// <summary>Where the caller's signalling comes from (their transport and address).</summary>
    public SipRemote Signalling { get; } = signalling;

    /// <summary>The highest CSeq the caller used in this dialog (RFC 3261 12.2.2: lower ones get 500).</summary>
    public uint RemoteCSeq { get; set; }

    /// <summary>True once the caller's ACK for our 200 arrived.</summary>
    public bool Confirmed { get; set; }

    public static string Key(string callId, string localTag) => callId + "\n" + localTag;
}
