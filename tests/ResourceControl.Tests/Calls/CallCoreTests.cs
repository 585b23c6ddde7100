using System.Net;
using CallCenter.Data.Calls;
using CallCenter.Ivr.Flows;
using CallCenter.ResourceControl.Calls;
using CallCenter.ResourceControl.Outbound;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// The call's loop as a pure table (<see cref="CallCore"/>): which room takes each event for a call as
/// it stands, what an ended call answers, whose dialog a request is in, and when a call must end.
/// </summary>
public sealed class CallCoreTests
{
    private static readonly SipDialogId _caller = new("call-1", "ours", "caller");
    private static readonly SipDialogId _agent = new("agent-1", "ours", "agent");
    private static readonly SipDialogId _consulted = new("consult-1", "ours", "consulted");
    private static readonly SipDialogId _supervisor = new("monitor-1", "ours", "supervisor");
    private static readonly SipDialogId _outside = new("outside-1", "ours", "outside");
    private static readonly SipDialogId _gone = new("agent-0", "ours", "old-agent");

    /// <summary>A caller in the IVR: only their own dialog.</summary>
    private static readonly CallView _inIvr = new(false, _caller, null, null, null, null, false, false, false, false, CallbackKind.None, null);

    private static readonly CallView _waiting = _inIvr with { Waiting = true };

    private static readonly CallView _bridged = _inIvr with { AgentDialog = _agent, AgentLeg = true };

    private static readonly CallView _consulting = _bridged with { ConsultDialog = _consulted, ConsultLeg = true };

    [TestCase(SipMethods.Bye)]
    [TestCase(SipMethods.Invite)]
    [TestCase(SipMethods.Refer)]
    [TestCase(SipMethods.Info)]
    public void ARequestOnAnEndedCallIsAnswered481WhateverItsDialog(string method)
    {
        var ended = _consulting with { Ended = true, MonitorDialog = _supervisor };
        foreach (var dialog in new[] { _caller, _agent, _consulted, _supervisor, _gone })
        {
            Assert.That(CallCore.InDialog(ended, method, dialog), Is.EqualTo(new CallStep.Respond(481)), $"{method} in {dialog.RemoteTag}'s dialog");
        }
    }

    [Test]
    public void TheCallersRequestsAreTheCallersLeg()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.InDialog(_bridged, SipMethods.Bye, _caller), Is.TypeOf<CallStep.CallerHungUp>());
            Assert.That(CallCore.InDialog(_bridged, SipMethods.Invite, _caller), Is.TypeOf<CallStep.CallerSessionChange>());
            Assert.That(CallCore.InDialog(_bridged, SipMethods.Update, _caller), Is.TypeOf<CallStep.CallerSessionChange>());
            Assert.That(CallCore.InDialog(_bridged, SipMethods.Info, _caller), Is.EqualTo(new CallStep.Respond(200)));
            Assert.That(CallCore.InDialog(_bridged, SipMethods.Options, _caller), Is.EqualTo(new CallStep.Respond(200, WithAllow: true)));
        });
    }

    [Test]
    public void ACallerCannotTransferTheHotline() =>
        Assert.That(CallCore.InDialog(_bridged, SipMethods.Refer, _caller), Is.EqualTo(new CallStep.Respond(405, WithAllow: true)));

    [Test]
    public void TheAgentsByeEndsTheCallButDuringAConsultationItCompletesTheTransfer()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.InDialog(_bridged, SipMethods.Bye, _agent), Is.TypeOf<CallStep.AgentHungUp>());
            Assert.That(CallCore.InDialog(_consulting, SipMethods.Bye, _agent), Is.TypeOf<CallStep.CompleteConsult>());
        });
    }

    [Test]
    public void TheAgentsReferTransfersAndTheRestIsTheAgentLegs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.InDialog(_bridged, SipMethods.Refer, _agent), Is.TypeOf<CallStep.AgentRefer>());
            Assert.That(CallCore.InDialog(_bridged, SipMethods.Invite, _agent), Is.TypeOf<CallStep.ToAgentLeg>());
            Assert.That(CallCore.InDialog(_bridged, SipMethods.Info, _agent), Is.TypeOf<CallStep.ToAgentLeg>());
        });
    }

    [TestCase(SipMethods.Bye)]
    [TestCase(SipMethods.Invite)]
    [TestCase(SipMethods.Refer)]
    public void AnAgentDialogTheCallNoLongerHasIsAnswered481(string method)
    {
        // The agent who transferred the call away: their dialog is gone, the new agent's is live.
        Assert.That(CallCore.InDialog(_bridged, method, _gone), Is.EqualTo(new CallStep.Respond(481)));
    }

    [Test]
    public void TheConsultedAgentsAndTheSupervisorsRequestsGoToTheirRooms()
    {
        var monitored = _consulting with { MonitorDialog = _supervisor };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.InDialog(monitored, SipMethods.Bye, _consulted), Is.TypeOf<CallStep.ToConsulted>());
            Assert.That(CallCore.InDialog(monitored, SipMethods.Bye, _supervisor), Is.TypeOf<CallStep.ToMonitor>());
            Assert.That(CallCore.InDialog(monitored, SipMethods.Invite, _supervisor), Is.TypeOf<CallStep.ToMonitor>());
        });
    }

    [Test]
    public void TheOutsidePartysByeEndsTheCallTheRestIsTheirLegs()
    {
        var transferredOut = _inIvr with { OutsideDialog = _outside, OutsideLeg = true };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.InDialog(transferredOut, SipMethods.Bye, _outside), Is.TypeOf<CallStep.OutsideHungUp>());
            Assert.That(CallCore.InDialog(transferredOut, SipMethods.Invite, _outside), Is.TypeOf<CallStep.ToOutside>());
        });
    }

    [Test]
    public void AConsultedNumbersByeEndsTheConsultationAndTheAgentsCompletesIt()
    {
        var consulting = _bridged with { OutsideDialog = _outside, OutsideLeg = true, OutsideConsult = true };
        var leg = new TrunkLeg(
            new DialableNumber("13800000001", "+8613800000001", NumberKind.Mobile),
            new Trunk("carrier", new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5090)), "", "", "95500"),
            TrunkInvite(1),
            null!,
            DateTimeOffset.UnixEpoch,
            consult: true);
        var ok = new SipResponse { StatusCode = 200, ReasonPhrase = "OK" };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.InDialog(consulting, SipMethods.Bye, _outside), Is.TypeOf<CallStep.OutsideConsultHungUp>());
            Assert.That(CallCore.InDialog(consulting, SipMethods.Invite, _outside), Is.TypeOf<CallStep.ToOutside>());
            Assert.That(CallCore.InDialog(consulting, SipMethods.Bye, _agent), Is.TypeOf<CallStep.CompleteConsult>(), "the agent hanging up completes, as desk phones do");
            Assert.That(CallCore.Handle(consulting, new CallEvent.TrunkLegFinal(leg, ok)), Is.TypeOf<CallStep.OutsideConsultFinal>());
        });
    }

    [Test]
    public void ACallbackWhoseClientHasNotAnsweredHasNoCallerDialogSoEveryRequestIsAnAgents()
    {
        var ringingClient = _bridged with { CallerDialog = null, Callback = CallbackKind.Callback };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.InDialog(ringingClient, SipMethods.Bye, _agent), Is.TypeOf<CallStep.AgentHungUp>());
            Assert.That(CallCore.InDialog(ringingClient, SipMethods.Bye, _caller), Is.EqualTo(new CallStep.Respond(481)));
        });
    }

    [Test]
    public void ADeskCommandRunsOnALiveCallAndIsRefusedOnAnEndedOne()
    {
        var command = new CallEvent.Command("hold", _ => throw new InvalidOperationException("not run here"), new());
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(_bridged, command), Is.TypeOf<CallStep.RunCommand>());
            Assert.That(CallCore.Handle(_bridged with { Ended = true }, command), Is.TypeOf<CallStep.RefuseCommand>());
        });
    }

    [Test]
    public void KeyOneBooksACallbackOnlyForACallerWaitingInAQueue()
    {
        var one = new CallEvent.Digit('1');
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(_waiting, one), Is.TypeOf<CallStep.RequestCallback>());

            // In the IVR's menus, while an agent rings, on an outbound attempt, or after the end: not a callback.
            Assert.That(CallCore.Handle(_inIvr, one), Is.EqualTo(new CallStep.Ivr(new IvrEvent.Digit('1'))));
            Assert.That(CallCore.Handle(_waiting with { AgentDialog = _agent, AgentLeg = true }, one), Is.EqualTo(new CallStep.Ivr(new IvrEvent.Digit('1'))));
            Assert.That(CallCore.Handle(_waiting with { ConsultLeg = true }, one), Is.EqualTo(new CallStep.Ivr(new IvrEvent.Digit('1'))));
            Assert.That(CallCore.Handle(_waiting with { OutsideLeg = true }, one), Is.EqualTo(new CallStep.Ivr(new IvrEvent.Digit('1'))));
            Assert.That(CallCore.Handle(_waiting with { Callback = CallbackKind.Callback }, one), Is.EqualTo(new CallStep.Ivr(new IvrEvent.Digit('1'))));
            Assert.That(CallCore.Handle(_waiting with { Ended = true }, one), Is.TypeOf<CallStep.Nothing>());

            // Any other key in the queue is the IVR's.
            Assert.That(CallCore.Handle(_waiting, new CallEvent.Digit('3')), Is.EqualTo(new CallStep.Ivr(new IvrEvent.Digit('3'))));
        });
    }

    [Test]
    public void Key2InAQueueStartsKeyingANumberWhoseKeysAndSilencesAreTheEntrysUntilAnAgentRings()
    {
        var two = new CallEvent.Digit('2');
        var keying = _waiting with { KeyingNumber = true };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(_waiting, two), Is.TypeOf<CallStep.StartCallbackNumber>());
            Assert.That(CallCore.Handle(_inIvr, two), Is.EqualTo(new CallStep.Ivr(new IvrEvent.Digit('2'))));
            Assert.That(CallCore.Handle(_waiting with { Callback = CallbackKind.Callback }, two), Is.EqualTo(new CallStep.Ivr(new IvrEvent.Digit('2'))));

            // While keying, 1 and 2 are digits of the number, not the callback keys; # ends it; the announcements wait.
            Assert.That(CallCore.Handle(keying, new CallEvent.Digit('1')), Is.EqualTo(new CallStep.CallbackNumberKey('1')));
            Assert.That(CallCore.Handle(keying, two), Is.EqualTo(new CallStep.CallbackNumberKey('2')));
            Assert.That(CallCore.Handle(keying, new CallEvent.Digit('#')), Is.EqualTo(new CallStep.CallbackNumberKey('#')));
            Assert.That(CallCore.Handle(keying, new CallEvent.Announce([])), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(keying, new CallEvent.CallbackNumberTimedOut(3)), Is.EqualTo(new CallStep.CallbackNumberTimedOut(3)));

            // Once an agent rings or the call ended, keys are the IVR's and a late silence changes nothing.
            var ringing = keying with { AgentDialog = _agent, AgentLeg = true };
            Assert.That(CallCore.Handle(ringing, two), Is.EqualTo(new CallStep.Ivr(new IvrEvent.Digit('2'))));
            Assert.That(CallCore.Handle(ringing, new CallEvent.CallbackNumberTimedOut(3)), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(keying with { Ended = true }, new CallEvent.CallbackNumberTimedOut(3)), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(_waiting, new CallEvent.CallbackNumberTimedOut(3)), Is.TypeOf<CallStep.Nothing>());
        });
    }

    [Test]
    public void TheIvrHearsNothingAfterTheCallEnded()
    {
        var ended = _inIvr with { Ended = true };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(_inIvr, new CallEvent.PlaybackFinished(7)), Is.EqualTo(new CallStep.Ivr(new IvrEvent.PlaybackFinished(7))));
            Assert.That(CallCore.Handle(_inIvr, new CallEvent.IvrTimerFired(3)), Is.EqualTo(new CallStep.Ivr(new IvrEvent.TimerFired(3))));
            Assert.That(CallCore.Handle(ended, new CallEvent.PlaybackFinished(7)), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(ended, new CallEvent.IvrTimerFired(3)), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(ended, new CallEvent.Digit('5')), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(ended, new CallEvent.Announce([])), Is.TypeOf<CallStep.Nothing>());
        });
    }

    [Test]
    public void TheCallersLegMovesOnAckDirectoryAndMissingAck()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(_inIvr, new CallEvent.CallerAcknowledged()), Is.EqualTo(new CallStep.StepCaller(CallerInput.Acknowledged)));
            Assert.That(CallCore.Handle(_inIvr, new CallEvent.Identified(CallerIdentity.Unknown)), Is.EqualTo(new CallStep.StepCaller(CallerInput.Identified)));
            Assert.That(CallCore.Handle(_inIvr, new CallEvent.NotConfirmed("timer H")), Is.EqualTo(new CallStep.StepCaller(CallerInput.NotConfirmed)));
        });
    }

    [Test]
    public void ThePlatformEndsALiveCallOnShutdownAFailedSendOrTheOverflowMessageAndNothingTwice()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(_bridged, new CallEvent.Shutdown()), Is.EqualTo(new CallStep.HangUp(CallDisposition.Interrupted)));
            Assert.That(CallCore.Handle(_bridged, new CallEvent.BackgroundFailed("BYE", new IOException())), Is.EqualTo(new CallStep.HangUp(CallDisposition.InternalError)));
            Assert.That(CallCore.Handle(_waiting, new CallEvent.CallbackMessagePlayed(CallDisposition.OverflowCallback)), Is.EqualTo(new CallStep.HangUp(CallDisposition.OverflowCallback)));
            Assert.That(CallCore.Handle(_bridged with { Ended = true }, new CallEvent.Shutdown()), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(_bridged with { Ended = true }, new CallEvent.BackgroundFailed("BYE", new IOException())), Is.TypeOf<CallStep.Nothing>());
        });
    }

    [Test]
    public void ACallbackClientsAnswerAndAnOutsideNumbersAreToldApartByTheirLeg()
    {
        var client = TrunkLegForTests();
        var other = TrunkLegForTests();
        var callback = _bridged with { Callback = CallbackKind.Callback, CallbackClient = client };
        var ok = new SipResponse { StatusCode = 200, ReasonPhrase = "OK" };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(callback, new CallEvent.TrunkLegFinal(client, ok)), Is.TypeOf<CallStep.CallbackClientFinal>());
            Assert.That(CallCore.Handle(callback, new CallEvent.TrunkLegFinal(other, ok)), Is.TypeOf<CallStep.OutsideFinal>());
            Assert.That(CallCore.Handle(_bridged, new CallEvent.TrunkLegFinal(client, ok)), Is.TypeOf<CallStep.OutsideFinal>());
        });
    }

    [Test]
    public void ATrunksSilenceCountsOnlyWhileItsLegRingsAndNeitherTheLoopNorTheTransactionHeardIt()
    {
        var leg = TrunkLegForTests();
        var callback = _bridged with { Callback = CallbackKind.Callback, CallbackClient = leg };
        var silence = SipMessageBuilder.CreateResponse(TrunkInvite(1), 408);
        silence.Synthesized = true;
        var spoke = new TrunkSpoke();
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(callback, new CallEvent.TrunkLegFinal(leg, silence, spoke)), Is.TypeOf<CallStep.CallbackClientFinal>());
            Assert.That(CallCore.Handle(_bridged, new CallEvent.TrunkLegFinal(leg, silence, spoke)), Is.TypeOf<CallStep.OutsideFinal>());
            Assert.That(CallCore.Handle(_bridged, new CallEvent.TrunkLegHeard(leg)), Is.TypeOf<CallStep.TrunkLegHeard>(), "heard on the loop");
        });

        // The transaction heard the trunk after the timer posted our 408: its word is queued behind it, and still wins.
        Assert.That(spoke.Mark(), Is.True);
        Assert.That(spoke.Mark(), Is.False, "one Heard event per INVITE");
        Assert.That(CallCore.Handle(callback, new CallEvent.TrunkLegFinal(leg, silence, spoke)), Is.TypeOf<CallStep.Nothing>(), "the transaction heard it");
        Assert.That(CallCore.Handle(callback, new CallEvent.TrunkLegFinal(leg, silence, new TrunkSpoke())), Is.TypeOf<CallStep.CallbackClientFinal>());

        // A final of the trunk's own (handled on the loop before the step) says it is alive; our own 408 does not.
        leg.FinalArrived(silence.Synthesized);
        Assert.That(leg.Heard, Is.False, "our 408 is not the trunk speaking");
        leg.FinalArrived(SipMessageBuilder.CreateResponse(TrunkInvite(1), 401).Synthesized);
        Assert.That(leg.Heard, Is.True, "the trunk's 401 is");
        Assert.That(CallCore.Handle(callback, new CallEvent.TrunkLegFinal(leg, silence, new TrunkSpoke())), Is.TypeOf<CallStep.Nothing>(), "the trunk spoke: alive");
        Assert.That(CallCore.Handle(callback, new CallEvent.TrunkLegFinal(leg, silence)), Is.TypeOf<CallStep.CallbackClientFinal>(), "the transaction's own timeout still counts");

        // A leg already failed over (or given up) is not silent any more: its 408 changes nothing.
        var abandoned = TrunkLegForTests();
        abandoned.Take(LegLifecycle.FailedOver(abandoned.Phase));
        Assert.That(abandoned.Phase, Is.EqualTo(LegPhase.Abandoned));
        Assert.That(CallCore.Handle(_bridged, new CallEvent.TrunkLegFinal(abandoned, silence, new TrunkSpoke())), Is.TypeOf<CallStep.Nothing>(), "no longer ringing");
    }

    private static SipRequest TrunkInvite(uint cseq) => new()
    {
        Method = SipMethods.Invite,
        RequestUri = TrunkUri("13800000001"),
        From = new SipNameAddress { Uri = TrunkUri("95500"), Tag = "a" },
        To = new SipNameAddress { Uri = TrunkUri("13800000001") },
        CallId = "trunk-leg",
        CSeq = new SipCSeq(cseq, SipMethods.Invite),
    };

    private static SipUri TrunkUri(string user) => new() { Scheme = "sip", User = user, Host = "192.0.2.1" };

    [Test]
    public void LegsTheCallRangAreAnsweredEvenAfterTheCallEnded()
    {
        // A 2xx that comes after the end still needs its ACK and BYE: the rooms get it whatever the state.
        var ended = _bridged with { Ended = true };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(ended, new CallEvent.RetransmittedOk(new SipResponse { StatusCode = 200, ReasonPhrase = "OK" })), Is.TypeOf<CallStep.ResendAck>());
            Assert.That(CallCore.Handle(ended, new CallEvent.CallerCancelled(null!)), Is.TypeOf<CallStep.Cancelled>());
            Assert.That(CallCore.Handle(ended, new CallEvent.OfferWithdrawn("1001")), Is.TypeOf<CallStep.WithdrawOffer>());
        });
    }

    [Test]
    public void AClickToDialEndsWhenTheAgentsPhoneNoLongerRingsBeforeTheClientWasRung()
    {
        var clickToDial = _inIvr with { CallerDialog = null, Callback = CallbackKind.ClickToDialRingingAgent };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.After(clickToDial), Is.EqualTo(new CallStep.HangUp(CallDisposition.AgentMissed)));
            Assert.That(CallCore.After(clickToDial with { AgentDialog = _agent, AgentLeg = true }), Is.Null, "the agent's phone still rings");
            Assert.That(CallCore.After(clickToDial with { Callback = CallbackKind.ClickToDial }), Is.Null, "the client was rung");
            Assert.That(CallCore.After(clickToDial with { Ended = true }), Is.Null, "already ended");
            Assert.That(CallCore.After(_inIvr with { Callback = CallbackKind.Callback }), Is.Null, "a booked callback waits for its agent");
            Assert.That(CallCore.After(_inIvr), Is.Null);
        });
    }

    [Test]
    public void ACallReceivingAFaxHearsNoKeysNoAnnouncementsAndRingsNoAgent()
    {
        var fax = _waiting with { Fax = true };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(fax, new CallEvent.Digit('1')), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(fax, new CallEvent.Digit('5')), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(fax, new CallEvent.Announce([])), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(fax, new CallEvent.Assigned(null!)), Is.TypeOf<CallStep.ReturnFaxAssignment>());
            Assert.That(CallCore.Handle(_waiting, new CallEvent.Assigned(null!)), Is.TypeOf<CallStep.Offer>());
            Assert.That(CallCore.Handle(_waiting, new CallEvent.FaxToneDetected()), Is.TypeOf<CallStep.SwitchToFax>());
            Assert.That(CallCore.Handle(fax, new CallEvent.PlaybackFinished(1)), Is.EqualTo(new CallStep.Ivr(new IvrEvent.PlaybackFinished(1))));
        });
    }

    [Test]
    public void ANewAccountClientsOwnFirstOneOrTwoIsTheirAnswerAndNothingElseIs()
    {
        var asked = _bridged with { Callback = CallbackKind.Callback, ClientAsked = true };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(asked, new CallEvent.ClientKey('1')), Is.EqualTo(new CallStep.ClientAnswer(true)));
            Assert.That(CallCore.Handle(asked, new CallEvent.ClientKey('2')), Is.EqualTo(new CallStep.ClientAnswer(false)));

            // Another key, a question not (or no longer) standing, an ended call: no answer.
            Assert.That(CallCore.Handle(asked, new CallEvent.ClientKey('3')), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(asked with { ClientAsked = false }, new CallEvent.ClientKey('2')), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(asked with { Ended = true }, new CallEvent.ClientKey('2')), Is.TypeOf<CallStep.Nothing>());

            // The caller's keys (Digit) on such a call are never the client's answer: they stay the IVR's.
            Assert.That(CallCore.Handle(asked, new CallEvent.Digit('2')), Is.EqualTo(new CallStep.Ivr(new IvrEvent.Digit('2'))));
        });
    }

    [Test]
    public void TheClientsSilenceAfterTheQuestionCountsOnlyWhileTheQuestionStandsOnALiveCall()
    {
        var asked = _bridged with { Callback = CallbackKind.Callback, ClientAsked = true };
        Assert.Multiple(() =>
        {
            Assert.That(CallCore.Handle(asked, new CallEvent.ClientQuestionTimedOut(1)), Is.TypeOf<CallStep.ClientQuestionTimedOut>());

            // Answered (or ended with no key) already, or the call is over: a late timer changes nothing.
            Assert.That(CallCore.Handle(asked with { ClientAsked = false }, new CallEvent.ClientQuestionTimedOut(1)), Is.TypeOf<CallStep.Nothing>());
            Assert.That(CallCore.Handle(asked with { Ended = true }, new CallEvent.ClientQuestionTimedOut(1)), Is.TypeOf<CallStep.Nothing>());
        });
    }

    [Test]
    public void TheQuestionIsPutAgainAsOftenAsSetThenEndsAndSpeaksTheClientsRecordedLanguage()
    {
        Assert.Multiple(() =>
        {
            // Two repeats: played three times, and the silence after the third ends it.
            Assert.That(ClientQuestionRules.AskAgain(plays: 1, repeats: 2), Is.True);
            Assert.That(ClientQuestionRules.AskAgain(plays: 2, repeats: 2), Is.True);
            Assert.That(ClientQuestionRules.AskAgain(plays: 3, repeats: 2), Is.False);
            Assert.That(ClientQuestionRules.AskAgain(plays: 1, repeats: 0), Is.False, "no repeats: asked once");
            Assert.That(ClientQuestionRules.Wait(TimeSpan.FromSeconds(9.5), TimeSpan.FromSeconds(5)), Is.EqualTo(TimeSpan.FromSeconds(14.5)));

            // The client's record speaks first; a callback booked in Chinese by default does not override it.
            Assert.That(ClientQuestionRules.Language("en", "zh"), Is.EqualTo("en"));
            Assert.That(ClientQuestionRules.Language(null, "en"), Is.EqualTo("en"));
            Assert.That(ClientQuestionRules.Language("", null), Is.EqualTo("zh"));
        });
    }

    [Test]
    public void ABrowserLegsMediaFailureGoesToTheAgentLegsRoom() =>
        Assert.That(CallCore.Handle(_bridged, new CallEvent.BrowserMediaFailed(null!, "dtls")), Is.TypeOf<CallStep.BrowserMediaFailed>());

    private static TrunkLeg TrunkLegForTests() => (TrunkLeg)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(TrunkLeg));
}
