using CallCenter.Telephony.Rtp.Srtp;

namespace CallCenter.Telephony.Sdp;

/// <summary>
/// What SDES (RFC 4568) decides for one offer or answer: our key for what we send (written in our
/// <c>a=crypto</c>, with the tag of the offer's line we accept), the peer's key for what we receive,
/// or the reason the SDP is refused (a 488's Warning). Null keys: plain RTP.
/// </summary>
public sealed record SdesVerdict(SdesCrypto? Ours, SrtpMaster? Theirs, string? Refusal)
{
    public static readonly SdesVerdict Plain = new(null, null, null);

    public bool Secure => Ours is not null;

    internal static SdesVerdict Refused(string reason) => new(null, null, $"305 callcenter \"{reason}\"");
}

/// <summary>
/// The SDES rules, pure. The key travels in the SDP, so SRTP is only as private as the signalling:
/// keys are offered and taken on SIP over TLS only (RFC 4568 8.3), and an offer that insists on SRTP
/// (RTP/SAVP) over UDP or TCP is refused rather than answered with keys a sniffer can read. A call
/// that started secure stays secure and one that started plain stays plain: a re-INVITE cannot
/// downgrade the media, and cannot switch it on half-way (the session's keys are set when it opens).
/// </summary>
public static class SdesNegotiation
{
    private const string OnlyOverTls = "SRTP keys (a=crypto) are taken only over SIP over TLS (sips:, port 5061)";
    private const string NoUsableKey = "offer a=crypto " + SdesCrypto.Suite + " with one inline key and no lifetime or MKI";

    /// <summary>An offer that opens a call: secure when it carries a key we can use and came over TLS.</summary>
    public static SdesVerdict ForNewSession(SdpOffer offer, bool overTls)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (offer.RequiresSrtp && !overTls)
        {
            return SdesVerdict.Refused(OnlyOverTls);
        }

        if (offer.RequiresSrtp && offer.Crypto is null)
        {
            return SdesVerdict.Refused(NoUsableKey);
        }

        // RTP/AVP with a=crypto is "best effort" SRTP (baresip's srtp, Asterisk's): taken over TLS, ignored otherwise.
        return overTls && offer.Crypto is { } theirs
            ? new SdesVerdict(SdesCrypto.Create(theirs.Tag), theirs.Master, null)
            : SdesVerdict.Plain;
    }

    /// <summary>A new offer in a call (a re-INVITE): <paramref name="ours"/> is the key the call sends with, null for a plain call.</summary>
    public static SdesVerdict ForSessionUpdate(SdpOffer offer, SrtpMaster? ours)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (ours is null)
        {
            return offer.RequiresSrtp ? SdesVerdict.Refused("this call's media is plain RTP and cannot become SRTP during the call") : SdesVerdict.Plain;
        }

        return offer.Crypto is { } theirs
            ? new SdesVerdict(new SdesCrypto(theirs.Tag, ours.Key.ToArray(), ours.Salt.ToArray()), theirs.Master, null)
            : SdesVerdict.Refused("this call's media is SRTP; " + NoUsableKey);
    }

    /// <summary>The tag of the one <c>a=crypto</c> line in our offers.</summary>
    public const int OfferTag = 1;

    /// <summary>Our offer's <c>a=crypto</c> for a session sending with <paramref name="ours"/>; null for a plain one.</summary>
    public static SdesCrypto? Offer(SrtpMaster? ours) => ours is null ? null : new SdesCrypto(OfferTag, ours.Key.ToArray(), ours.Salt.ToArray());

    /// <summary>
    /// The answer to our offer (<paramref name="ours"/> the key we offered, null for a plain offer):
    /// a secure offer needs the peer's key back under our tag (RFC 4568 5.1.2); a plain offer ignores any.
    /// </summary>
    public static SdesVerdict ForAnswer(SdpOffer answer, SrtpMaster? ours)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (ours is null)
        {
            return SdesVerdict.Plain;
        }

        return answer.Crypto is { Tag: OfferTag } theirs
            ? new SdesVerdict(Offer(ours), theirs.Master, null)
            : SdesVerdict.Refused("we offered SRTP; answer with a=crypto " + SdesCrypto.Suite + " under our tag");
    }

    /// <summary>The m= line's profile for our answer: the offer's when it asked for SRTP, else RTP/AVP (a best-effort offer keeps its own).</summary>
    public static string AnswerProfile(SdpOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return offer.RequiresSrtp ? offer.Profile : "RTP/AVP";
    }
}
