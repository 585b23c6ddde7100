using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>
/// What a server transaction keeps of its request and final while it lingers (RFC 3261 Timer J and I, RFC 6026
/// Timer L: 32 s on UDP) once nothing of them can reach its TU again. Two such transactions a call stayed 32 s with
/// their parsed request and response, every header an object, and they were most of what the garbage collector
/// copied from one generation to the next (9.4 KB a call). This keeps a few fields instead: the request's method,
/// Call-ID, CSeq and tags (matching and logs), the final's status, reason and To tag (the ACK's match, the TU's "was it
/// answered?"), and, when the final may still be resent, its top Via (where it goes) and its bytes as first written.
/// A response made from the kept request (<see cref="SipServerTransaction.CreateResponse"/>) is a skeleton too: the
/// machines send none once they linger, but the first final's resends, which are these bytes (and a non-INVITE final's
/// first send too, so it is written once).
/// <see cref="Request"/> and <see cref="Response"/> make the rare reader a message of those parts alone.
/// </summary>
internal sealed class LingeringMessages
{
    private readonly string _method;
    private readonly string _scheme;
    private readonly string? _callId;
    private readonly SipCSeq? _cseq;
    private readonly string? _fromTag;
    private readonly string? _requestToTag;
    private readonly (string Transport, string Host, int? Port, string? Branch)? _requestVia;
    private readonly int? _status;
    private readonly string _reason = "";
    private readonly bool _synthesized;
    private readonly SipVia? _via;
    private readonly byte[]? _wire;

    /// <summary>The parts kept of <paramref name="request"/> and its <paramref name="final"/>; with <paramref name="resend"/>, the final stays sendable as it was first sent.</summary>
    public LingeringMessages(SipRequest request, SipResponse? final, bool resend)
    {
        ArgumentNullException.ThrowIfNull(request);
        _method = request.Method;
        _scheme = request.RequestUri.Scheme;
        _callId = request.CallId;
        _cseq = request.CSeq;
        _fromTag = request.From?.Tag;
        _requestToTag = request.To?.Tag;
        if (request.TopVia is { } via)
        {
            _requestVia = (via.Transport, via.Host, via.Port, via.Branch);
        }
        if (final is not null)
        {
            _status = final.StatusCode;
            _reason = final.ReasonPhrase;
            _synthesized = final.Synthesized;
            ToTag = final.To?.Tag;
            if (resend)
            {
                _via = final.TopVia;
                _wire = SipWriter.ToBytes(final);
            }
        }
    }

    /// <summary>The final's To tag, the one an ACK must carry.</summary>
    public string? ToTag { get; }

    /// <summary>The request as far as it is kept: method, Call-ID, CSeq, From and To tags, and its top Via's sent-by and branch.</summary>
    public SipRequest Request()
    {
        var request = new SipRequest
        {
            Method = _method,
            RequestUri = new SipUri { Scheme = _scheme },
            CallId = _callId,
            CSeq = _cseq,
            From = TagOnly(_fromTag),
            To = TagOnly(_requestToTag),
        };
        if (_requestVia is { } kept)
        {
            var via = new SipVia { Transport = kept.Transport, Host = kept.Host, Port = kept.Port };
            if (kept.Branch is not null)
            {
                via.Branch = kept.Branch;
            }

            request.Vias.Add(via);
        }

        return request;
    }

    /// <summary>The final as far as it is kept (null when there was none); sent, it goes out as its first bytes.</summary>
    public SipResponse? Response() => _status is not { } status ? null : new SipResponse
    {
        StatusCode = status,
        ReasonPhrase = _reason,
        CallId = _callId,
        CSeq = _cseq,
        To = TagOnly(ToTag),
        Vias = _via is null ? [] : [_via],
        Synthesized = _synthesized,
        Wire = _wire,
    };

    private static SipNameAddress TagOnly(string? tag)
    {
        var address = new SipNameAddress { Uri = new SipUri { Scheme = "sip" } };
        if (tag is not null)
        {
            address.Tag = tag;
        }

        return address;
    }
}
