using CallCenter.ResourceControl.Calls;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>The dispatcher's indexes: a call by its id and by each of its dialogs, and the routing of in-dialog requests.</summary>
public sealed class CallDirectoryTests
{
    private sealed record Call(string Id);

    private static (SipDialog Dialog, SipRequest Invite) Dialog(string sipCallId, string remoteTag, string localTag)
    {
        var invite = new SipRequest
        {
            Method = SipMethods.Invite,
            RequestUri = Uri("95500"),
            From = new SipNameAddress { Uri = Uri("13800000001"), Tag = remoteTag },
            To = new SipNameAddress { Uri = Uri("95500") },
            CallId = sipCallId,
            CSeq = new SipCSeq(1, SipMethods.Invite),
        };
        var ok = SipMessageBuilder.CreateResponse(invite, 200, toTag: localTag);
        return (SipDialog.CreateUas(invite, ok), invite);
    }

    private static SipUri Uri(string user) => new() { Scheme = "sip", User = user, Host = "192.0.2.1" };

    /// <summary>A request inside the dialog, as the peer sends it: our tag in To, theirs in From.</summary>
    private static SipRequest InDialog(SipRequest invite, string method, string localTag, uint cseq = 2) => new()
    {
        Method = method,
        RequestUri = Uri("95500"),
        From = new SipNameAddress { Uri = invite.From!.Uri, Tag = invite.From.Tag },
        To = new SipNameAddress { Uri = invite.To!.Uri, Tag = localTag },
        CallId = invite.CallId,
        CSeq = new SipCSeq(cseq, method),
    };

    [Test]
    public void ANewCallIsFoundByItsIdAndByTheCallersDialog()
    {
        var directory = new CallDirectory<Call>();
        var (dialog, _) = Dialog("sip-1", "caller", "ours");
        var call = new Call("c1");

        directory.Add("c1", dialog, call);

        Assert.Multiple(() =>
        {
            Assert.That(directory.TryGet("c1", out var byId) ? byId : null, Is.SameAs(call));
            Assert.That(directory.TryGetByDialog(dialog.Id, out var byDialog) ? byDialog : null, Is.SameAs(call));
            Assert.That(directory.Contains("c1"), Is.True);
            Assert.That(directory.Count, Is.EqualTo(1));
            Assert.That(directory.Snapshot(), Is.EqualTo(new[] { call }));
        });
    }

    [Test]
    public void AByeInTheCallersDialogIsRoutedToItsDialog()
    {
        var directory = new CallDirectory<Call>();
        var (dialog, invite) = Dialog("sip-1", "caller", "ours");
        directory.Add("c1", dialog, new Call("c1"));

        var (routed, reject) = directory.Route(InDialog(invite, SipMethods.Bye, "ours"));

        Assert.That(reject, Is.Null);
        Assert.That(routed!.Id, Is.EqualTo(dialog.Id));
        Assert.That(directory.FindDialog(InDialog(invite, SipMethods.Ack, "ours", cseq: 1)), Is.SameAs(dialog));
    }

    [Test]
    public void AnAgentsDialogLeadsToTheSameCallUntilItIsRemoved()
    {
        var directory = new CallDirectory<Call>();
        var call = new Call("c1");
        directory.Add("c1", Dialog("sip-1", "caller", "ours").Dialog, call);
        var (agent, agentInvite) = Dialog("sip-2", "agent", "ours-2");

        directory.AddDialog(agent, call);
        var found = directory.TryGetByDialog(agent.Id, out var byAgent) ? byAgent : null;
        directory.RemoveDialog(agent.Id);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.SameAs(call));
            Assert.That(directory.TryGetByDialog(agent.Id, out _), Is.False);
            Assert.That(directory.Route(InDialog(agentInvite, SipMethods.Bye, "ours-2")).Reject!.StatusCode, Is.EqualTo(481), "RFC 3261 12.2.2");
            Assert.That(directory.Contains("c1"), Is.True, "the call outlives its agent's leg");
            Assert.That(directory.DialogCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void AnEndedCallIsNotFoundByItsIdAndItsDialogStopsRouting()
    {
        var directory = new CallDirectory<Call>();
        var (dialog, invite) = Dialog("sip-1", "caller", "ours");
        directory.Add("c1", dialog, new Call("c1"));

        directory.RemoveDialog(dialog.Id);
        directory.Remove("c1");

        Assert.Multiple(() =>
        {
            Assert.That(directory.TryGet("c1", out _), Is.False);
            Assert.That(directory.Count, Is.Zero);
            Assert.That(directory.DialogCount, Is.Zero);
            Assert.That(directory.Route(InDialog(invite, SipMethods.Bye, "ours")).Reject!.StatusCode, Is.EqualTo(481));
            Assert.That(directory.Snapshot(), Is.Empty);
        });
    }

    [Test]
    public void ARequestOutsideAnyDialogIsNotRouted()
    {
        var directory = new CallDirectory<Call>();
        var (_, invite) = Dialog("sip-1", "caller", "ours");

        Assert.That(directory.Route(invite), Is.EqualTo(((SipDialog?)null, (SipResponse?)null)));
    }
}
