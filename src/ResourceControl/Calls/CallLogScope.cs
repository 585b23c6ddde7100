using System.Collections;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The logging scope of everything a call's loop does: the platform's call id and the SIP Call-ID
/// as two named fields, so a structured sink can find a call's whole life by either, and a plain
/// console (with scopes on) prints both on every line.
/// </summary>
internal sealed class CallLogScope(string callId, string sipCallId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string CallId { get; } = callId;

    public string SipCallId { get; } = sipCallId;

    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("CallId", CallId),
        1 => new("SipCallId", SipCallId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"call {CallId} sip {SipCallId}";
}
