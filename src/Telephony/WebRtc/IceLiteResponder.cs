using System.Net;
using System.Text;

namespace CallCenter.Telephony.WebRtc;

/// <summary>What one datagram did to the ICE-lite side: the response to send back, and whether it moved the media destination.</summary>
public readonly record struct IceCheckOutcome(byte[]? Response, bool SelectedChanged, string? Refusal);

/// <summary>
/// The platform's side of ICE as a lite implementation (RFC 8445 2.5): it never sends checks, it
/// answers the browser's. A Binding request counts only when its USERNAME is "our-ufrag:their-ufrag",
/// its MESSAGE-INTEGRITY verifies with our ice-pwd (RFC 8445 7.3, the short-term credential of
/// RFC 5389 10.1) and its FINGERPRINT is right; then it is answered from where it came, and its source
/// becomes where media goes: the first valid check's, then any check that nominates (USE-CANDIDATE).
/// Anything else is refused unanswered, so nobody who did not read our SDP can steer the media.
/// A check is valid once per address: its transaction id (covered by MESSAGE-INTEGRITY) seen before
/// from another address is a replay by someone who captured it on the path, and is refused, so a
/// captured check cannot move the media (a retransmission from the same address is answered again).
/// Pure: fed datagrams, no socket.
/// </summary>
public sealed class IceLiteResponder
{
    /// <summary>Transaction ids remembered: a browser checks every few seconds, so hours of a call.</summary>
    public const int RememberedChecks = 4096;

    private readonly byte[] _key;
    private readonly Dictionary<UInt128, IPEndPoint> _seen = [];
    private readonly Queue<UInt128> _seenOrder = new();

    public IceLiteResponder(IceCredentials local, string? remoteUfrag = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        Local = local;
        RemoteUfrag = remoteUfrag;
        _key = Encoding.UTF8.GetBytes(local.Password);
    }

    public IceCredentials Local { get; }

    /// <summary>The browser's a=ice-ufrag, once its SDP is known; until then any remote part is taken.</summary>
    public string? RemoteUfrag { get; set; }

    /// <summary>Where the browser's media comes from and goes to, once a valid check has said.</summary>
    public IPEndPoint? Selected { get; private set; }

    public long ChecksAnswered { get; private set; }

    public long ChecksRefused { get; private set; }

    public IceCheckOutcome Handle(ReadOnlySpan<byte> packet, IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var refusal = Check(packet, out var message);
        if (refusal is not null)
        {
            ChecksRefused++;
            return new IceCheckOutcome(null, false, refusal);
        }

        var id = new UInt128(0, 0);
        foreach (var b in message!.TransactionId)
        {
            id = (id << 8) | b;
        }

        if (_seen.TryGetValue(id, out var first))
        {
            if (!first.Equals(source))
            {
                ChecksRefused++;
                return new IceCheckOutcome(null, false, $"a replayed check: its transaction id came first from {first}");
            }
        }
        else
        {
            if (_seen.Count == RememberedChecks)
            {
                _seen.Remove(_seenOrder.Dequeue());
            }

            _seen[id] = source;
            _seenOrder.Enqueue(id);
        }

        ChecksAnswered++;
        var changed = false;
        if (Selected is null || (message.HasUseCandidate && !Selected.Equals(source)))
        {
            changed = !source.Equals(Selected);
            Selected = source;
        }

        return new IceCheckOutcome(StunWriter.BindingSuccess(message!.TransactionId, source, _key), changed, null);
    }

    private string? Check(ReadOnlySpan<byte> packet, out StunMessage? message)
    {
        message = StunMessage.TryParse(packet, out var error);
        if (message is null)
        {
            return error;
        }

        if (message.Type != StunMessage.BindingRequest)
        {
            return $"STUN type 0x{message.Type:x4} is not a Binding request";
        }

        if (message.FingerprintOffset < 0 || !message.VerifyFingerprint(packet))
        {
            return "FINGERPRINT missing or wrong";
        }

        var user = message.UserName;
        var colon = user?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (user is null || colon < 0 || !user.AsSpan(0, colon).SequenceEqual(Local.Ufrag)
            || (RemoteUfrag is not null && !user.AsSpan(colon + 1).SequenceEqual(RemoteUfrag)))
        {
            return "USERNAME is not ours";
        }

        return message.VerifyIntegrity(packet, _key) ? null : "MESSAGE-INTEGRITY does not verify";
    }
}
