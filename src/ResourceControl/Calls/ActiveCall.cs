using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>A call to a hotline the platform has answered: its dialog and media.</summary>
internal sealed class ActiveCall(string id, SipDialog dialog, string caller, string dialed, RtpSession media, SipRemote signalling, DateTimeOffset startedAt)
{
    /// <summary>The platform's id of the call: the key of its record.</summary>
    public string Id { get; } = id;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public SipDialog Dialog { get; } = dialog;

    public string CallId => Dialog.Id.CallId;

    /// <summary>The caller's number: P-Asserted-Identity user, else the From user (design.md section 4).</summary>
    public string Caller { get; } = caller;

    public string Dialed { get; } = dialed;

    public RtpSession Media { get; } = media;

    /// <summary>Where the caller's signalling comes from (their transport and address).</summary>
    public SipRemote Signalling { get; } = signalling;

    /// <summary>True once the caller's ACK for our 200 arrived.</summary>
    public bool Confirmed { get; set; }

    /// <summary>The caller's tier from the client directory; null for an unknown (ordinary) caller.</summary>
    public string? Tier { get; set; }

    /// <summary>The client's account manager's extension from the directory, if any.</summary>
    public string? AccountManager { get; set; }

    /// <summary>The client's language from the directory ("zh" or "en"), if known.</summary>
    public string? Language { get; set; }

    /// <summary>The IVR running on the call, once the caller's ACK arrived.</summary>
    public IvrCallRunner? Ivr { get; set; }

    /// <summary>The client-directory look-up, started when the call is answered.</summary>
    public Task Identification { get; set; } = Task.CompletedTask;

    /// <summary>The IVR flow nodes passed, in order.</summary>
    public List<string> IvrPath { get; } = [];

    /// <summary>The queue the IVR handed the caller to, if any.</summary>
    public string? Queue { get; set; }
}
