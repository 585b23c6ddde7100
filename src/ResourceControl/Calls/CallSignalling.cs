using System.Net;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sdp;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using CallCenter.Telephony.Sip.Transactions;
using CallCenter.Telephony.Transport;
using CallCenter.Telephony.WebRtc;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The SIP and SDP a call's legs need, whatever the kind of call: who calls, our Contact, the INVITE
/// that rings a phone, reading a phone's answer, and answering a re-INVITE or UPDATE (hold, resume,
/// a moved or re-keyed media). It owns no call state: the caller passes the leg's media and the
/// call's facts, and carries out the result in the call's loop. A new INVITE's Route headers come from
/// the phone's Path or <c>Sip:OutboundProxy</c> (<see cref="Telephony.Sip.SipOutboundProxy"/>); the
/// transaction layer sends a request with Route to its first hop.
/// </summary>
internal sealed class CallSignalling(SipTransport transport, TimeProvider time, Telephony.Sip.SipOutboundProxy? outboundProxy = null)
{
    private readonly Telephony.Sip.SipOutboundProxy _proxy = outboundProxy ?? Telephony.Sip.SipOutboundProxy.None;

    /// <summary>
    /// The header a SIP proxy in front (the shipped Kamailio configuration) adds to a new request that did not come from
    /// one of its listed carriers: whoever sent it chose its From, so the caller's number is a claim, not an identity.
    /// Believed only from a trusted peer (anyone else's caller is unverified anyway); any value counts.
    /// </summary>
    public const string UnverifiedCallerHeader = "X-CallCenter-Caller";

    /// <summary>Did the proxy in front mark this INVITE's caller as unverified (<see cref="UnverifiedCallerHeader"/>)?</summary>
    public static bool MarkedUnverified(SipRequest invite) => invite.Headers.Contains(UnverifiedCallerHeader);

    /// <summary>The caller's number: P-Asserted-Identity's user when present (RFC 3325 9.1), else From's.</summary>
    public static string CallerNumber(SipRequest invite)
    {
        var asserted = invite.Headers.Get(SipHeaderNames.PAssertedIdentity);
        var position = 0;
        if (asserted is not null
            && SipNameAddressParser.TryRead(asserted, ref position, inList: true, SipParserLimits.Default, out var identity, out _)
            && identity.Uri.User is { Length: > 0 } user)
        {
            return user;
        }

        return invite.From?.Uri.User ?? "";
    }

    /// <summary>An address as a SIP URI's host: an IPv6 one in brackets (RFC 3261 25.1 IPv6reference).</summary>
    public static string UriHost(System.Net.IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>A sips: URI (RFC 3261 19.1): the peer wants TLS on every hop.</summary>
    public static bool IsSips(SipUri uri) => string.Equals(uri.Scheme, "sips", StringComparison.OrdinalIgnoreCase);

    // A display name goes out as a quoted string (RFC 3261 25.1): no quotes or backslashes inside.
    public static string Unquoted(string display) =>
        display.Replace("\\", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal);

    /// <summary>
    /// Our Contact on <paramref name="protocol"/>. A sips: URI where the peer used one (RFC 3261
    /// 8.1.1.8, 12.1.1: a sips: request gets a sips: Contact); otherwise sip: with the transport
    /// named (RFC 5630 3.1), which is what a phone that dialed <c>sip:...;transport=tls</c> can route
    /// its ACK to (baresip 1.0 cannot send to a sips: Contact and drops the call).
    /// </summary>
    public SipUri ContactUri(SipTransportProtocol protocol, string user, bool sips) =>
        ContactUri(transport.LocalFor(protocol).EndPoint, protocol, user, sips);

    /// <summary>Our Contact for <paramref name="local"/>, the address we listen on for <paramref name="protocol"/>.</summary>
    public static SipUri ContactUri(IPEndPoint local, SipTransportProtocol protocol, string user, bool sips)
    {
        var uri = new SipUri { Scheme = sips && protocol == SipTransportProtocol.Tls ? "sips" : "sip", User = user, Host = UriHost(local.Address), Port = local.Port };
        if (uri.Scheme == "sip" && protocol is SipTransportProtocol.Tcp or SipTransportProtocol.Tls or SipTransportProtocol.Ws)
        {
            uri.Parameters.Add(new("transport", protocol switch
            {
                SipTransportProtocol.Tcp => "tcp",
                SipTransportProtocol.Ws => "ws",
                _ => "tls",
            }));
        }

        return uri;
    }

    /// <summary>
    /// Our INVITE to an outside number through <paramref name="trunk"/>: the number in the Request-URI
    /// at the trunk's address, the trunk's calling number in From and P-Asserted-Identity (RFC 3325: the
    /// carrier trusts us for it). <paramref name="again"/> is the challenged INVITE this one replaces
    /// (RFC 3261 22.2: same Call-ID and From tag, the next CSeq) with the credentials' header and value.
    /// </summary>
    public SipRequest CreateTrunkInvite(ActiveCall call, Outbound.Trunk trunk, Outbound.DialableNumber number, RtpSession media, (SipRequest Challenged, string Header, string Credentials)? again = null) =>
        CreateTrunkInvite(call.Dialed, call.Media.Format, trunk, number, media, again);

    /// <summary>
    /// As above for a call that has no <see cref="ActiveCall"/> yet (a callback's client leg, made with
    /// its call): <paramref name="contactUser"/> is our Contact's user part, <paramref name="preferred"/>
    /// the codec offered first.
    /// </summary>
    public SipRequest CreateTrunkInvite(string contactUser, RtpMediaFormat preferred, Outbound.Trunk trunk, Outbound.DialableNumber number, RtpSession media, (SipRequest Challenged, string Header, string Credentials)? again = null)
    {
        var local = transport.LocalFor(trunk.Remote.Protocol).EndPoint;
        var host = UriHost(local.Address);
        var trunkHost = UriHost(trunk.Remote.EndPoint.Address);
        var target = new SipUri { Scheme = "sip", User = number.Dial, Host = trunkHost, Port = trunk.Remote.EndPoint.Port };
        if (trunk.Remote.Protocol != SipTransportProtocol.Udp)
        {
            target.Parameters.Add(new("transport", trunk.Remote.ViaTransport.ToLowerInvariant()));
        }

        var callerUri = new SipUri { Scheme = "sip", User = trunk.CallerId, Host = host };
        var from = new SipNameAddress { Uri = callerUri };
        from.Tag = again?.Challenged.From?.Tag ?? SipMessageBuilder.NewTag();
        var invite = new SipRequest
        {
            Method = SipMethods.Invite,
            RequestUri = target,
            From = from,
            To = new SipNameAddress { Uri = new SipUri { Scheme = "sip", User = number.Dial, Host = trunkHost } },
            CallId = again?.Challenged.CallId ?? SipMessageBuilder.NewCallId(host),
            CSeq = new SipCSeq((again?.Challenged.CSeq?.Number ?? 0) + 1, SipMethods.Invite),
            MaxForwards = SipMessageBuilder.DefaultMaxForwards,
            ContentType = "application/sdp",
            Routes = _proxy.RoutesFor([]),
        };
        invite.Contacts.Add(new SipNameAddress { Uri = ContactUri(trunk.Remote.Protocol, contactUser, sips: false) });
        invite.Headers.Add(SipHeaderNames.Allow, DialogMethods.Allow(DialogMethods.WithoutRefer));
        invite.Headers.Add(SipHeaderNames.PAssertedIdentity, SipWriter.Write(new SipNameAddress { Uri = callerUri }));
        if (again is { } retry)
        {
            invite.Headers.Add(retry.Header, retry.Credentials);
        }

        int[] codecs = preferred.PayloadType == SdpAnswer.Pcma ? [SdpAnswer.Pcma, SdpAnswer.Pcmu] : [SdpAnswer.Pcmu, SdpAnswer.Pcma];
        invite.Body = SdpOfferWriter.Write(transport.PublicAddress, media.LocalPort, codecs, time.GetUtcNow().ToUnixTimeSeconds(), 1, crypto: null);
        return invite;
    }

    /// <summary>
    /// Our INVITE to an agent's or supervisor's phone for <paramref name="call"/>: the caller's number in
    /// From and P-Asserted-Identity, the client's name and tier as display name, and an SDP offer on
    /// <paramref name="media"/> with the caller's codec first. <paramref name="path"/> is the phone's
    /// stored Path (RFC 3327 5.3), which becomes the INVITE's Route; without one, the outbound proxy's.
    /// </summary>
    public SipRequest CreateAgentInvite(ActiveCall call, string extension, SipUri target, SipRemote destination, RtpSession media, IReadOnlyList<string> allow, IReadOnlyList<SipNameAddress>? path = null)
    {
        var local = transport.LocalFor(destination.Protocol).EndPoint;
        var host = UriHost(local.Address);

        // The agent's phone shows who calls: the client's name and tier, and the caller's number (From user and PAI).
        var display = Unquoted($"{call.ClientName ?? call.Caller} {call.Tier ?? "ordinary"}");
        var callerUri = new SipUri { Scheme = "sip", User = call.Caller.Length > 0 ? call.Caller : "anonymous", Host = host };
        var from = new SipNameAddress { DisplayName = display, Uri = callerUri };
        from.Tag = SipMessageBuilder.NewTag();
        var invite = new SipRequest
        {
            Method = SipMethods.Invite,
            RequestUri = target,
            From = from,
            To = new SipNameAddress { Uri = new SipUri { Scheme = "sip", User = extension, Host = host } },
            CallId = SipMessageBuilder.NewCallId(host),
            CSeq = new SipCSeq(1, SipMethods.Invite),
            MaxForwards = SipMessageBuilder.DefaultMaxForwards,
            ContentType = "application/sdp",
            Routes = _proxy.RoutesFor(path ?? []),
        };
        invite.Contacts.Add(new SipNameAddress { Uri = ContactUri(destination.Protocol, call.Dialed, IsSips(target)) });
        invite.Headers.Add(SipHeaderNames.Allow, DialogMethods.Allow(allow)); // RFC 3261 13.2.1: what the phone may send in this dialog
        // The same writer as From, so the display name is quoted and escaped alike (RFC 3325 9.1, RFC 3261 25.1).
        invite.Headers.Add(SipHeaderNames.PAssertedIdentity, SipWriter.Write(new SipNameAddress { DisplayName = display, Uri = callerUri }));

        // The caller's codec first: the relay then copies audio without transcoding.
        int[] codecs = call.Media.Format.PayloadType == SdpAnswer.Pcma ? [SdpAnswer.Pcma, SdpAnswer.Pcmu] : [SdpAnswer.Pcmu, SdpAnswer.Pcma];
        invite.Body = media.WebRtc is { } browser
            ? WebRtcOffer.Write(transport.PublicAddress, media.LocalPort, codecs, browser.Ice.Local, browser.Fingerprint, time.GetUtcNow().ToUnixTimeSeconds(), 1)
            : SdpOfferWriter.Write(transport.PublicAddress, media.LocalPort, codecs, time.GetUtcNow().ToUnixTimeSeconds(), 1, crypto: SdesNegotiation.Offer(media.SendMaster));
        return invite;
    }

    /// <summary>
    /// The SDP of a phone's 2xx and the codec we take from it; the codec is null when it offers none
    /// we speak, or when we offered SRTP and it did not answer with its key (the leg is then unusable).
    /// </summary>
    public static (SdpOffer? Sdp, SdpAnswer? Chosen) ReadAnswer(SipResponse ok, RtpSession media)
    {
        if (media.WebRtc is not null)
        {
            return ReadBrowserAnswer(ok, media, out _);
        }

        var sdp = string.Equals(ok.ContentType, "application/sdp", StringComparison.OrdinalIgnoreCase) ? SdpOffer.TryParse(ok.Body.Span) : null;
        if (sdp is null)
        {
            return (null, null);
        }

        var sdes = SdesNegotiation.ForAnswer(sdp, media.SendMaster);
        if (sdes.Refusal is not null)
        {
            return (sdp, null);
        }

        if (sdes.Theirs is { } theirs)
        {
            media.SetReceiveKeys(theirs);
        }

        return (sdp, SdpAnswer.Choose(sdp));
    }

    /// <summary>
    /// A browser's answer to our WebRTC offer (RFC 8829): its ICE ufrag, its fingerprint and
    /// <c>setup:active</c>, rtcp-mux, a G.711 codec; the DTLS handshake starts on the leg's port. The
    /// address is not the SDP's (ICE-lite learns it from the browser's checks): the returned SDP holds
    /// only the codec and direction. Both null, with <paramref name="refusal"/>, when unusable.
    /// </summary>
    public static (SdpOffer? Sdp, SdpAnswer? Chosen) ReadBrowserAnswer(SipResponse ok, RtpSession media, out string? refusal)
    {
        if (!string.Equals(ok.ContentType, "application/sdp", StringComparison.OrdinalIgnoreCase) || ok.Body.IsEmpty || ok.Body.Length > 16_384)
        {
            refusal = "no SDP answer";
            return (null, null);
        }

        var answer = WebRtcAnswer.TryRead(System.Text.Encoding.UTF8.GetString(ok.Body.Span), out refusal);
        if (answer is null)
        {
            return (null, null);
        }

        media.StartWebRtc(answer, CallLegs.DtlsHandshakeTimeout);
        var codec = answer.PayloadType == SdpAnswer.Pcma ? "PCMA" : "PCMU";
        var sdp = new SdpOffer(IPAddress.Any, 9, [answer.PayloadType], new Dictionary<int, string> { [answer.PayloadType] = codec + "/8000" }, SdpDirection.SendRecv)
        {
            Profile = "UDP/TLS/RTP/SAVPF",
        };
        // Our offer named telephone-event 101; an answer keeps the offer's payload types (RFC 3264 6.1).
        return (sdp, new SdpAnswer(answer.PayloadType, codec, WebRtcOffer.TelephoneEventPayloadType, SdpDirection.SendRecv));
    }

    /// <summary>
    /// A re-INVITE or UPDATE on a leg whose media we keep as it is (hold, resume, refresh): answer with
    /// our media, direction mirrored (RFC 3264 8.4), and send only while the peer receives.
    /// </summary>
    public async Task AnswerSessionChangeAsync(SipServerTransaction transaction, SipRequest request, RtpSession media, SipTransportProtocol protocol, string contactUser)
    {
        if (!TryReadSessionOffer(request, media, out var offer, out var answer, out var sdes))
        {
            await transaction.SendResponseAsync(NotAcceptable(transaction, sdes));
            return;
        }

        var ok = transaction.CreateResponse(200);
        ok.Contacts.Add(new SipNameAddress { Uri = ContactUri(protocol, contactUser, IsSips(request.RequestUri)) });
        if (answer is not null && offer is not null)
        {
            FollowOffer(media, offer);
            media.Sending = answer.Direction.Sends();
            WriteSessionAnswer(ok, answer, offer, sdes, media);
        }

        await transaction.SendResponseAsync(ok);
    }

    /// <summary>
    /// Reads the offer of a re-INVITE or UPDATE on <paramref name="media"/>'s leg and our answer to
    /// it; both null without a body (RFC 3264 allows an offerless re-INVITE). False when an offer has
    /// no codec we speak, or would make a secure leg plain or a plain one secure (488).
    /// </summary>
    public bool TryReadSessionOffer(SipRequest request, RtpSession media, out SdpOffer? offer, out SdpAnswer? answer, out SdesVerdict sdes)
    {
        offer = request.Body.IsEmpty ? null : SdpOffer.TryParse(request.Body.Span);

        // A re-offer in the other address family than our media address is refused (488) like an unusable codec.
        answer = offer is null || SdpAddressFamily.Refusal(offer, transport.PublicAddress) is not null ? null : SdpAnswer.Choose(offer);
        sdes = offer is null ? SdesVerdict.Plain : SdesNegotiation.ForSessionUpdate(offer, media.SendMaster);
        return offer is null || (answer is not null && sdes.Refusal is null);
    }

    /// <summary>Our answer in a re-INVITE's or UPDATE's 200: our media, and on a secure leg our key again and the peer's (maybe new) key taken.</summary>
    public void WriteSessionAnswer(SipResponse ok, SdpAnswer answer, SdpOffer offer, SdesVerdict sdes, RtpSession media)
    {
        if (sdes.Theirs is { } theirs)
        {
            media.SetReceiveKeys(theirs);
        }

        ok.ContentType = "application/sdp";
        ok.Body = answer.Write(transport.PublicAddress, media.LocalPort, time.GetUtcNow().ToUnixTimeSeconds(), 2, sdes.Ours, SdesNegotiation.AnswerProfile(offer));
    }

    /// <summary>488 for a session change we cannot take, with the SRTP reason when that was it.</summary>
    public static SipResponse NotAcceptable(SipServerTransaction transaction, SdesVerdict sdes)
    {
        var response = transaction.CreateResponse(488);
        if (sdes.Refusal is { } warning)
        {
            response.Headers.Add("Warning", warning);
        }

        return response;
    }

    /// <summary>
    /// An offer that moves the peer's media (RFC 3264 8.3.1) re-points the leg, which then accepts
    /// media from there or learns a NAT'd source anew (strict symmetric RTP); the same address again,
    /// a hold with c=0.0.0.0 (RFC 3264 8.4) or a port of 0 moves nothing.
    /// </summary>
    public static void FollowOffer(RtpSession media, SdpOffer offer)
    {
        if (offer.Port != 0 && !offer.Address.Equals(System.Net.IPAddress.Any) && !offer.Address.Equals(System.Net.IPAddress.IPv6Any))
        {
            media.SetRemote(new System.Net.IPEndPoint(offer.Address, offer.Port));
        }
    }
}
