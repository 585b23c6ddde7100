using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Tests.Sip.Dialogs;

public sealed class SipDialogTests
{
    private static SipNameAddress Route(string host, bool loose)
    {
        var route = TestMessages.Address("", host);
        route.Uri.User = null;
        if (loose)
        {
            route.Uri.Parameters.Set("lr", null);
        }

        return route;
    }

    private static (SipRequest Invite, SipResponse Ok) UacExchange(params SipNameAddress[] recordRoutes)
    {
        var invite = TestMessages.Invite(cseq: 10);
        var ok = TestMessages.Response(invite, 200, "bob-tag");
        ok.Contacts.Add(new SipNameAddress { Uri = TestMessages.Uri("bob", "203.0.113.5", 5080) });
        ok.RecordRoutes.AddRange(recordRoutes);
        return (invite, ok);
    }

    [Test]
    public void UacDialogTakesIdsTargetAndReversedRecordRoute()
    {
        var (invite, ok) = UacExchange(Route("p2.example.com", true), Route("p1.example.com", true));

        var dialog = SipDialog.CreateUac(invite, ok);

        Assert.That(dialog.Id, Is.EqualTo(new SipDialogId(invite.CallId!, "from-1", "bob-tag")));
        Assert.That(dialog.RemoteTarget.Host, Is.EqualTo("203.0.113.5"));
        Assert.That(dialog.RouteSet.Select(r => r.Uri.Host), Is.EqualTo(new[] { "p1.example.com", "p2.example.com" }));
        Assert.That(dialog.LocalSequence, Is.EqualTo(10u));
        Assert.That(dialog.RemoteSequence, Is.Null);
        Assert.That(dialog.IsEarly, Is.False);
    }

    [Test]
    public void LooseRoutingKeepsTheTargetAsRequestUriAndTheRouteSetAsRoute()
    {
        var (invite, ok) = UacExchange(Route("p2.example.com", true), Route("p1.example.com", true));
        var dialog = SipDialog.CreateUac(invite, ok);

        var bye = dialog.CreateBye();

        Assert.That(bye.RequestUri.Host, Is.EqualTo("203.0.113.5"));
        Assert.That(bye.RequestUri.Port, Is.EqualTo(5080));
        Assert.That(bye.Routes.Select(r => r.Uri.Host), Is.EqualTo(new[] { "p1.example.com", "p2.example.com" }));
        Assert.That(bye.CSeq, Is.EqualTo(new SipCSeq(11, SipMethods.Bye)));
        Assert.That(bye.From!.Tag, Is.EqualTo("from-1"));
        Assert.That(bye.To!.Tag, Is.EqualTo("bob-tag"));
        Assert.That(bye.CallId, Is.EqualTo(invite.CallId));
    }

    [Test]
    public void StrictRoutingPutsTheFirstRouteInTheRequestUriAndTheTargetLast()
    {
        var (invite, ok) = UacExchange(Route("p2.example.com", true), Route("strict.example.com", false));
        var dialog = SipDialog.CreateUac(invite, ok);

        var info = dialog.CreateRequest(SipMethods.Info);

        Assert.That(info.RequestUri.Host, Is.EqualTo("strict.example.com"));
        Assert.That(info.Routes.Select(r => r.Uri.Host), Is.EqualTo(new[] { "p2.example.com", "203.0.113.5" }));
    }

    [Test]
    public void NoRouteSetSendsStraightToTheTarget()
    {
        var (invite, ok) = UacExchange();

        var bye = SipDialog.CreateUac(invite, ok).CreateBye();

        Assert.That(bye.RequestUri.Host, Is.EqualTo("203.0.113.5"));
        Assert.That(bye.Routes, Is.Empty);
    }

    [Test]
    public void AckFor2xxUsesTheInviteCSeqAndCredentials()
    {
        var (invite, ok) = UacExchange(Route("p1.example.com", true));
        invite.Headers.Add(SipHeaderNames.ProxyAuthorization, "Digest username=\"a\"");
        var dialog = SipDialog.CreateUac(invite, ok);

        var ack = dialog.CreateAck(10, invite);

        Assert.That(ack.CSeq, Is.EqualTo(new SipCSeq(10, SipMethods.Ack)));
        Assert.That(ack.Headers.Get(SipHeaderNames.ProxyAuthorization), Is.EqualTo("Digest username=\"a\""));
        Assert.That(ack.Routes.Single().Uri.Host, Is.EqualTo("p1.example.com"));
        Assert.That(dialog.LocalSequence, Is.EqualTo(10u), "ACK does not consume a CSeq");
    }

    [Test]
    public void UasDialogKeepsRecordRouteOrderAndTheCallerAsTarget()
    {
        var invite = TestMessages.Invite(cseq: 5);
        invite.RecordRoutes.Add(Route("p1.example.com", true));
        invite.RecordRoutes.Add(Route("p2.example.com", true));

        var dialog = SipDialog.CreateUas(invite, TestMessages.Response(invite, 200, "our-tag"));
        var bye = dialog.CreateBye();

        Assert.That(dialog.Id, Is.EqualTo(new SipDialogId(invite.CallId!, "our-tag", "from-1")));
        Assert.That(dialog.RemoteSequence, Is.EqualTo(5u));
        Assert.That(bye.Routes.Select(r => r.Uri.Host), Is.EqualTo(new[] { "p1.example.com", "p2.example.com" }));
        Assert.That(bye.RequestUri.Host, Is.EqualTo("192.0.2.10"));
        Assert.That(bye.To!.Tag, Is.EqualTo("from-1"));
        Assert.That(bye.From!.Tag, Is.EqualTo("our-tag"));
        Assert.That(bye.From.Uri.User, Is.EqualTo("bob"));
    }

    [Test]
    public void LowerCSeqFromThePeerGets500AndHigherIsAccepted()
    {
        var invite = TestMessages.Invite(cseq: 5);
        var dialog = SipDialog.CreateUas(invite, TestMessages.Response(invite, 200, "our-tag"));

        var old = dialog.CheckRemoteRequest(TestMessages.Request(SipMethods.Info, "z9hG4bKi1", cseq: 4, toTag: "our-tag"));
        var fresh = dialog.CheckRemoteRequest(TestMessages.Request(SipMethods.Info, "z9hG4bKi2", cseq: 6, toTag: "our-tag"));

        Assert.That(old!.StatusCode, Is.EqualTo(500));
        Assert.That(fresh, Is.Null);
        Assert.That(dialog.RemoteSequence, Is.EqualTo(6u));
    }

    [Test]
    public void ReInviteWhileOursIsPendingGets491()
    {
        var invite = TestMessages.Invite(cseq: 5);
        var dialog = SipDialog.CreateUas(invite, TestMessages.Response(invite, 200, "our-tag"));
        var ours = dialog.CreateRequest(SipMethods.Invite);

        var glare = dialog.CheckRemoteRequest(TestMessages.Invite("z9hG4bKre", cseq: 6, toTag: "our-tag"));
        dialog.CompleteLocalInvite(TestMessages.Response(ours, 200));
        var later = dialog.CheckRemoteRequest(TestMessages.Invite("z9hG4bKre2", cseq: 7, toTag: "our-tag"));

        Assert.That(glare!.StatusCode, Is.EqualTo(491));
        Assert.That(later, Is.Null);
    }

    [Test]
    public void SecondInviteBeforeTheFirstIsAnsweredGets500WithRetryAfter()
    {
        var invite = TestMessages.Invite(cseq: 5);
        var dialog = SipDialog.CreateUas(invite, TestMessages.Response(invite, 200, "our-tag"));
        Assert.That(dialog.CheckRemoteRequest(TestMessages.Invite("z9hG4bKre1", cseq: 6, toTag: "our-tag")), Is.Null);

        var second = dialog.CheckRemoteRequest(TestMessages.Invite("z9hG4bKre2", cseq: 7, toTag: "our-tag"));
        dialog.CompleteRemoteInvite();
        var third = dialog.CheckRemoteRequest(TestMessages.Invite("z9hG4bKre3", cseq: 8, toTag: "our-tag"));

        Assert.That(second!.StatusCode, Is.EqualTo(500));
        Assert.That(int.Parse(second.Headers.Get(SipHeaderNames.RetryAfter)!, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(0, 10));
        Assert.That(third, Is.Null);
    }

    [Test]
    public void TargetRefreshTakesTheNewContact()
    {
        var invite = TestMessages.Invite(cseq: 5);
        var dialog = SipDialog.CreateUas(invite, TestMessages.Response(invite, 200, "our-tag"));
        var update = TestMessages.Request(SipMethods.Update, "z9hG4bKu", cseq: 6, toTag: "our-tag");
        update.Contacts[0] = new SipNameAddress { Uri = TestMessages.Uri("alice", "198.51.100.77") };

        Assert.That(dialog.CheckRemoteRequest(update), Is.Null);
        Assert.That(dialog.RemoteTarget.Host, Is.EqualTo("198.51.100.77"));
    }

    [Test]
    public void TableFindsTheDialogAndAnswers481ForAnUnknownOne()
    {
        var invite = TestMessages.Invite(cseq: 5);
        var table = new SipDialogTable();
        var dialog = SipDialog.CreateUas(invite, TestMessages.Response(invite, 200, "our-tag"));
        Assert.That(table.TryAdd(dialog), Is.True);

        var known = table.Route(TestMessages.Request(SipMethods.Bye, "z9hG4bKb1", cseq: 6, toTag: "our-tag"));
        var unknown = table.Route(TestMessages.Request(SipMethods.Bye, "z9hG4bKb2", cseq: 6, toTag: "nobody"));
        var unknownAck = table.Route(TestMessages.Request(SipMethods.Ack, "z9hG4bKb3", cseq: 6, toTag: "nobody"));
        var outside = table.Route(TestMessages.Invite("z9hG4bKnew", callId: "other"));

        Assert.That(known.Dialog, Is.SameAs(dialog));
        Assert.That(known.Reject, Is.Null);
        Assert.That(unknown.Dialog, Is.Null);
        Assert.That(unknown.Reject!.StatusCode, Is.EqualTo(481));
        Assert.That(unknownAck, Is.EqualTo((default(SipDialog), default(SipResponse))));
        Assert.That(outside, Is.EqualTo((default(SipDialog), default(SipResponse))));
    }
}
