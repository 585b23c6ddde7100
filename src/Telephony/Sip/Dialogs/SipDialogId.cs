namespace CallCenter.Telephony.Sip.Dialogs;

/// <summary>A dialog's identity (RFC 3261 12): Call-ID, local tag, remote tag.</summary>
public readonly record struct SipDialogId(string CallId, string LocalTag, string RemoteTag);
