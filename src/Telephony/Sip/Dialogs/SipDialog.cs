using System.Globalization;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Dialogs;

/// <summary>
/// The dialog state of RFC 3261 12 and what it decides: in-dialog requests (12.2.1.1), the ACK
/// for a 2xx (13.2.2.4), and the UAS checks of in-dialog requests (12.2.2, 14.2). Not
/// thread-safe: the owner of a call serializes its use.
/// </summary>
public sealed class SipDialog
{
    private SipDialog(SipDialogId id, SipNameAddress localUri, SipNameAddress remoteUri, SipUri remoteTarget, List<SipNameAddress> routeSet, bool secure)
    {
        Id = id;
        LocalUri = localUri;
        RemoteUri = remoteUri;
        RemoteTarget = remoteTarget;
        RouteSet = routeSet;
        IsSecure = secure;
    }

    public SipDialogId Id { get; }

    /// <summary>Our From in requests we send (no tag; <see cref="SipDialogId.LocalTag"/> is added).</summary>
    public SipNameAddress LocalUri { get; }

    public SipNameAddress RemoteUri { get; }

    /// <summary>The peer's Contact URI, updated by target refresh requests (12.2.2).</summary>
    public SipUri RemoteTarget { get; private set; }

    /// <summary>The route set, in the order requests carry it.</summary>
    public IReadOnlyList<SipNameAddress> RouteSet { get; }

    public bool IsSecure { get; }

    /// <summary>True while established by a provisional response only (12.1.2).</summary>
    public bool IsEarly { get; private set; }

    /// <summary>The CSeq number of our last request; 0 while empty (a UAS dialog before our first request).</summary>
    public uint LocalSequence { get; private set; }

    /// <summary>The highest CSeq number seen from the peer; null while empty (a UAC dialog).</summary>
    public uint? RemoteSequence { get; private set; }

    /// <summary>Our Contact for target refresh requests we send (INVITE, UPDATE); set by the owner.</summary>
    public SipUri? LocalContact { get; set; }

    /// <summary>True while a re-INVITE we sent has no final response (14.1, glare).</summary>
    public bool LocalInvitePending { get; private set; }

    /// <summary>The CSeq of an INVITE from the peer not answered finally yet (14.2).</summary>
    public uint? PendingRemoteInvite { get; private set; }

    /// <summary>
    /// The UAS side (RFC 3261 12.1.1) from the INVITE and our 101-299 response with a To tag:
    /// route set = Record-Route as received, remote target = the request's Contact. With
    /// <paramref name="followRecordRoute"/> false the route set stays empty: a request from a peer
    /// we do not trust must not choose where our later requests go.
    /// </summary>
    public static SipDialog CreateUas(SipRequest request, SipResponse response, bool followRecordRoute = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        var id = new SipDialogId(
            request.CallId ?? throw new ArgumentException("No Call-ID.", nameof(request)),
            response.To?.Tag ?? throw new ArgumentException("The response needs a To tag.", nameof(response)),
            request.From?.Tag ?? "");
        var target = request.Contacts.FirstOrDefault()?.Uri.Clone() ?? request.From!.Uri.Clone();
        var routes = followRecordRoute ? request.RecordRoutes.Select(r => r.Clone()).ToList() : [];
        var dialog = new SipDialog(id, WithoutTag(request.To!), WithoutTag(request.From!), target, routes, request.RequestUri.IsSecure)
        {
            RemoteSequence = request.CSeq?.Number,
            IsEarly = response.IsProvisional,
        };
        if (request.Method == SipMethods.Invite && !response.IsSuccess)
        {
            dialog.PendingRemoteInvite = request.CSeq?.Number;
        }

        return dialog;
    }

    /// <summary>
    /// The UAC side (RFC 3261 12.1.2) from our request and a 101-299 response with a To tag:
    /// route set = Record-Route reversed, remote target = the response's Contact.
    /// </summary>
    public static SipDialog CreateUac(SipRequest request, SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        var id = new SipDialogId(
            request.CallId ?? throw new ArgumentException("No Call-ID.", nameof(request)),
            request.From?.Tag ?? throw new ArgumentException("The request needs a From tag.", nameof(request)),
            response.To?.Tag ?? throw new ArgumentException("The response needs a To tag.", nameof(response)));
        var routes = response.RecordRoutes.Select(r => r.Clone()).Reverse().ToList();
        var target = response.Contacts.FirstOrDefault()?.Uri.Clone() ?? request.RequestUri.Clone();
        return new SipDialog(id, WithoutTag(request.From!), WithoutTag(request.To!), target, routes, request.RequestUri.IsSecure)
        {
            LocalSequence = request.CSeq?.Number ?? 0,
            IsEarly = response.IsProvisional,
            LocalContact = request.Contacts.FirstOrDefault()?.Uri.Clone(),
        };
    }

    /// <summary>A 2xx confirms an early dialog (12.1.2); its Contact is the remote target.</summary>
    public void Confirm(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        IsEarly = false;
        if (response.Contacts.FirstOrDefault() is { } contact)
        {
            RemoteTarget = contact.Uri.Clone();
        }
    }

    /// <summary>
    /// A request within the dialog (RFC 3261 12.2.1.1): To, From, Call-ID, a new CSeq (except for
    /// ACK and CANCEL), Request-URI and Route from the route set, loose or strict routing. No Via:
    /// the transaction layer adds it. Sending INVITE marks a local re-INVITE pending.
    /// </summary>
    public SipRequest CreateRequest(string method)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (method is not (SipMethods.Ack or SipMethods.Cancel))
        {
            LocalSequence++;
        }

        if (method == SipMethods.Invite)
        {
            LocalInvitePending = true;
        }

        return Build(method, LocalSequence);
    }

    /// <summary>The ACK for a 2xx to the INVITE with <paramref name="inviteCSeq"/> (RFC 3261 13.2.2.4).</summary>
    public SipRequest CreateAck(uint inviteCSeq, SipRequest? invite = null)
    {
        var ack = Build(SipMethods.Ack, inviteCSeq);
        if (invite is not null)
        {
            // 13.2.2.4: the ACK carries the INVITE's credentials.
            foreach (var name in new[] { SipHeaderNames.Authorization, SipHeaderNames.ProxyAuthorization })
            {
                foreach (var value in invite.Headers.GetAll(name))
                {
                    ack.Headers.Add(name, value);
                }
            }
        }

        return ack;
    }

    public SipRequest CreateBye() => CreateRequest(SipMethods.Bye);

    /// <summary>Our re-INVITE got its final response (ends the glare window of 14.1).</summary>
    public void CompleteLocalInvite(SipResponse final)
    {
        ArgumentNullException.ThrowIfNull(final);
        LocalInvitePending = false;
        if (final.IsSuccess)
        {
            Confirm(final);
        }
    }

    /// <summary>We answered the peer's INVITE finally.</summary>
    public void CompleteRemoteInvite() => PendingRemoteInvite = null;

    /// <summary>
    /// The UAS checks of a request within this dialog, in order: CSeq lower than the remote
    /// sequence → 500 (12.2.2); INVITE while our re-INVITE is pending → 491 (14.2); INVITE while
    /// the peer's earlier INVITE is unanswered → 500 with Retry-After 0-10 s (14.2). Null means go
    /// on; then the remote sequence is updated, a target refresh takes the new Contact, and an
    /// INVITE is marked pending until <see cref="CompleteRemoteInvite"/>.
    /// ACK and CANCEL are not checked (they reuse the INVITE's CSeq number).
    /// </summary>
    public SipResponse? CheckRemoteRequest(SipRequest request, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method is SipMethods.Ack or SipMethods.Cancel || request.CSeq is not { } cseq)
        {
            return null;
        }

        if (RemoteSequence is { } remote && cseq.Number < remote)
        {
            return SipMessageBuilder.CreateResponse(request, 500, "Out of Order", Id.LocalTag);
        }

        if (request.Method == SipMethods.Invite)
        {
            if (LocalInvitePending)
            {
                return SipMessageBuilder.CreateResponse(request, 491, toTag: Id.LocalTag);
            }

            if (PendingRemoteInvite is { } pending && pending < cseq.Number)
            {
                var busy = SipMessageBuilder.CreateResponse(request, 500, toTag: Id.LocalTag);
                var seconds = (random ?? Random.Shared).Next(0, 11);
                busy.Headers.Add(SipHeaderNames.RetryAfter, seconds.ToString(CultureInfo.InvariantCulture));
                return busy;
            }

            PendingRemoteInvite = cseq.Number;
        }

        RemoteSequence = cseq.Number;
        if (request.Method is SipMethods.Invite or SipMethods.Update && request.Contacts.FirstOrDefault() is { } contact)
        {
            RemoteTarget = contact.Uri.Clone();
        }

        return null;
    }

    private SipRequest Build(string method, uint sequence)
    {
        SipUri requestUri;
        var routes = new List<SipNameAddress>();
        if (RouteSet.Count == 0)
        {
            requestUri = RemoteTarget.Clone();
        }
        else if (RouteSet[0].Uri.LooseRouter)
        {
            requestUri = RemoteTarget.Clone();
            routes.AddRange(RouteSet.Select(r => r.Clone()));
        }
        else
        {
            // 12.2.1.1 strict routing: the first route becomes the Request-URI (without the
            // parameters a Request-URI may not carry), the remote target goes last in Route.
            requestUri = RouteSet[0].Uri.Clone();
            requestUri.Headers.Clear();
            requestUri.Parameters.Remove("method");
            requestUri.Parameters.Remove("ttl");
            requestUri.Parameters.Remove("maddr");
            routes.AddRange(RouteSet.Skip(1).Select(r => r.Clone()));
            routes.Add(new SipNameAddress { Uri = RemoteTarget.Clone() });
        }

        var from = LocalUri.Clone();
        from.Tag = Id.LocalTag;
        var to = RemoteUri.Clone();
        to.Tag = string.IsNullOrEmpty(Id.RemoteTag) ? null : Id.RemoteTag;
        var request = new SipRequest
        {
            Method = method,
            RequestUri = requestUri,
            From = from,
            To = to,
            CallId = Id.CallId,
            CSeq = new SipCSeq(sequence, method),
            MaxForwards = SipMessageBuilder.DefaultMaxForwards,
            Routes = routes,
        };
        if (LocalContact is not null && method is SipMethods.Invite or SipMethods.Update)
        {
            request.Contacts.Add(new SipNameAddress { Uri = LocalContact.Clone() });
        }

        return request;
    }

    private static SipNameAddress WithoutTag(SipNameAddress address)
    {
        var copy = address.Clone();
        copy.Tag = null;
        return copy;
    }
}
