using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Tests.Sip.Transactions;

public sealed class SipMessageBuilderTests
{
    [Test]
    public void ResponseCopiesViasFromCallIdCSeqAndAddsToTag()
    {
        var invite = TestMessages.Invite();
        invite.Vias.Add(new SipVia { Transport = "UDP", Host = "proxy.example.com", Branch = "z9hG4bKproxy" });

        var response = SipMessageBuilder.CreateResponse(invite, 486, toTag: "abc");

        Assert.That(response.StatusCode, Is.EqualTo(486));
        Assert.That(response.ReasonPhrase, Is.EqualTo("Busy Here"));
        Assert.That(response.Vias.Select(v => v.Branch), Is.EqualTo(new[] { "z9hG4bKtest1", "z9hG4bKproxy" }));
        Assert.That(response.Vias[0], Is.Not.SameAs(invite.Vias[0]));
        Assert.That(response.CallId, Is.EqualTo(invite.CallId));
        Assert.That(response.CSeq, Is.EqualTo(invite.CSeq));
        Assert.That(response.From!.Tag, Is.EqualTo("from-1"));
        Assert.That(response.To!.Tag, Is.EqualTo("abc"));
        Assert.That(invite.To!.Tag, Is.Null, "the request is not changed");
    }

    [Test]
    public void TryingHasNoToTagAndCopiesTimestamp()
    {
        var invite = TestMessages.Invite();
        invite.Headers.Add("Timestamp", "54");

        var trying = SipMessageBuilder.CreateResponse(invite, 100, toTag: "abc");

        Assert.That(trying.To!.Tag, Is.Null);
        Assert.That(trying.Headers.Get("Timestamp"), Is.EqualTo("54"));
    }

    [Test]
    public void ResponseKeepsAnExistingToTag()
    {
        var reInvite = TestMessages.Invite(toTag: "dialog-tag");

        Assert.That(SipMessageBuilder.CreateResponse(reInvite, 200, toTag: "other").To!.Tag, Is.EqualTo("dialog-tag"));
    }

    [Test]
    public void AckForNonSuccessUsesTopViaRouteAndResponseTo()
    {
        var invite = TestMessages.Invite();
        invite.Vias.Add(new SipVia { Transport = "UDP", Host = "second.example.com" });
        invite.Routes.Add(TestMessages.Address("p", "proxy.example.com"));
        var busy = TestMessages.Response(invite, 486, "busy-tag");

        var ack = SipMessageBuilder.CreateAckForNonSuccess(invite, busy);

        Assert.That(ack.Method, Is.EqualTo("ACK"));
        Assert.That(ack.CSeq, Is.EqualTo(new SipCSeq(1, "ACK")));
        Assert.That(ack.Vias, Has.Count.EqualTo(1));
        Assert.That(ack.TopVia!.Branch, Is.EqualTo("z9hG4bKtest1"));
        Assert.That(ack.To!.Tag, Is.EqualTo("busy-tag"));
        Assert.That(ack.Routes.Single().Uri.Host, Is.EqualTo("proxy.example.com"));
        Assert.That(ack.RequestUri.Host, Is.EqualTo(invite.RequestUri.Host));
    }

    [Test]
    public void CancelKeepsBranchAndCSeqNumber()
    {
        var invite = TestMessages.Invite(cseq: 7);

        var cancel = SipMessageBuilder.CreateCancel(invite);

        Assert.That(cancel.Method, Is.EqualTo("CANCEL"));
        Assert.That(cancel.CSeq, Is.EqualTo(new SipCSeq(7, "CANCEL")));
        Assert.That(cancel.TopVia!.Branch, Is.EqualTo("z9hG4bKtest1"));
        Assert.That(cancel.To!.Tag, Is.Null);
        Assert.That(cancel.CallId, Is.EqualTo(invite.CallId));
    }

    [Test]
    public void NewIdentifiersAreUniqueAndBranchesCarryTheMagicCookie()
    {
        var branches = Enumerable.Range(0, 100).Select(_ => SipMessageBuilder.NewBranch()).ToList();

        Assert.That(branches, Is.Unique);
        Assert.That(branches, Has.All.StartWith("z9hG4bK"));
        var tag = SipMessageBuilder.NewTag();
        Assert.That(SipMessageBuilder.NewTag(), Is.Not.EqualTo(tag));
        Assert.That(SipMessageBuilder.NewCallId("pbx.example.com"), Does.EndWith("@pbx.example.com"));
    }
}
