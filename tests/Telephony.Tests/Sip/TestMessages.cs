using System.Net;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Tests.Sip;

/// <summary>Builds SIP messages for tests with object initializers, without the parser.</summary>
public static class TestMessages
{
    public static SipRemote UdpPeer { get; } = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 5060));

    public static SipRemote TcpPeer { get; } = new(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 5060));

    public static SipUri Uri(string user, string host, int? port = null, string scheme = "sip") =>
        new() { Scheme = scheme, User = user, Host = host, Port = port };

    public static SipNameAddress Address(string user, string host, string? tag = null) =>
        new() { Uri = Uri(user, host), Tag = tag };

    /// <summary>A request from alice@atlanta to bob@biloxi with one Via and the mandatory headers.</summary>
    public static SipRequest Request(
        string method,
        string? branch = "z9hG4bKtest1",
        string callId = "call-1@atlanta.example.com",
        uint cseq = 1,
        string? fromTag = "from-1",
        string? toTag = null,
        string viaHost = "192.0.2.10",
        int? viaPort = 5060,
        string transport = "UDP")
    {
        var request = new SipRequest
        {
            Method = method,
            RequestUri = Uri("bob", "biloxi.example.com"),
            From = Address("alice", "atlanta.example.com", fromTag),
            To = Address("bob", "biloxi.example.com", toTag),
            CallId = callId,
            CSeq = new SipCSeq(cseq, method),
            MaxForwards = 70,
        };
        var via = new SipVia { Transport = transport, Host = viaHost, Port = viaPort };
        if (branch is not null)
        {
            via.Branch = branch;
        }

        request.Vias.Add(via);
        request.Contacts.Add(new SipNameAddress { Uri = Uri("alice", "192.0.2.10", 5060) });
        return request;
    }

    public static SipRequest Invite(string? branch = "z9hG4bKtest1", uint cseq = 1, string? toTag = null, string callId = "call-1@atlanta.example.com") =>
        Request(SipMethods.Invite, branch, callId, cseq, toTag: toTag);

    /// <summary>The ACK a UAC sends for a 2xx: new branch, the To tag of the response (RFC 3261 13.2.2.4).</summary>
    public static SipRequest AckFor2xx(SipRequest invite, SipResponse ok, string branch = "z9hG4bKack2xx")
    {
        var ack = Request(SipMethods.Ack, branch, invite.CallId!, invite.CSeq!.Value.Number, invite.From!.Tag, ok.To!.Tag);
        ack.RequestUri = invite.RequestUri.Clone();
        return ack;
    }

    /// <summary>A response as a peer would send it, with a fixed To tag.</summary>
    public static SipResponse Response(SipRequest request, int status, string toTag = "to-1") =>
        SipMessageBuilder.CreateResponse(request, status, toTag: toTag);
}
