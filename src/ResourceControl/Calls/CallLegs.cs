using System.Net;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sdp;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Registrar;
using CallCenter.Telephony.Sip.Transactions;
using CallCenter.Telephony.Transport;
using CallCenter.Telephony.WebRtc;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The shell every leg the platform rings shares (<see cref="OutgoingLeg"/>: an agent's phone, a
/// consulted agent's, a supervisor's, and a client's through a trunk once calls go out): finding the
/// phone, opening its media, ringing it in the background, carrying out the steps
/// <see cref="LegLifecycle"/> decides (ACK, CANCEL, BYE, free the media) and the sends a call does
/// not wait for. It holds no call state: every method runs in the call's loop on the call it is given,
/// and what comes back from the network is posted to that call as an event.
/// </summary>
internal sealed class CallLegs(
    Func<SipTransactionLayer> layer,
    SipTransport transport,
    SipRegistrar registrar,
    RtpPortAllocator ports,
    RtpCounters rtpCounters,
    RelayTotals relayTotals,
    BackgroundSends background,
    TimeProvider time,
    Func<ActiveCall, CallEvent, PostOutcome> post)
{
    /// <summary>Posts an event to a call's mailbox (the endpoint counts refusals).</summary>
    public PostOutcome Post(ActiveCall call, CallEvent e) => post(call, e);

    /// <summary>
    /// Where <paramref name="extension"/>'s phone is reached now: its newest active registration that can be reached, or
    /// null. A browser's binding whose WebSocket is gone (or is not this agent's) is passed over (<see cref="SipTransport.CanReach"/>).
    /// </summary>
    public async Task<SipBinding?> FindPhoneAsync(string extension, DateTimeOffset now) =>
        (await registrar.GetActiveBindingsAsync(extension, now))
            .Where(b => transport.CanReach(b.ToCallTarget(), extension))
            .MaxBy(b => b.UpdatedAt);

    // One DTLS certificate for the process's browser legs (its fingerprint goes in every WebRTC offer), made when the first is rung.
    private readonly Lazy<DtlsIdentity> _dtls = new(() => DtlsIdentity.Create(time));

    /// <summary>How long a browser's DTLS-SRTP handshake may take once its answer came, before its leg is given up.</summary>
    public static readonly TimeSpan DtlsHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The certificate whose fingerprint our WebRTC offers carry.</summary>
    public DtlsIdentity DtlsIdentity => _dtls.Value;

    /// <summary>
    /// Media for a new outgoing leg of <paramref name="call"/> (its remote comes with the answer); null
    /// when no ports are free. A phone reached over TLS gets SRTP: a fresh key of ours now, its key with
    /// its answer. A browser (its binding is a SIP over WebSocket one, RFC 7118) gets WebRTC media:
    /// ICE-lite and DTLS-SRTP on the leg's port (<see cref="RtpSession.OpenWebRtc"/>).
    /// </summary>
    public RtpSession? OpenMedia(ActiveCall call, SipRemote destination) =>
        destination.Protocol == SipTransportProtocol.Ws
            ? RtpSession.OpenWebRtc(ports, transport.PublicAddress, call.Media.Format, rtpCounters, time, _dtls.Value)
            : RtpSession.Open(
            ports,
            transport.PublicAddress,
            new IPEndPoint(IPAddress.Any, 0),
            call.Media.Format,
            rtpCounters,
            time,
            destination.Protocol == SipTransportProtocol.Tls ? SdesCrypto.Create(SdesNegotiation.OfferTag).Master : null);

    /// <summary>A leg takes the codec, address and direction of the phone's SDP answer.</summary>
    public static void ApplyAnswer(RtpSession media, SdpOffer answer, SdpAnswer chosen)
    {
        media.ChangeFormat(chosen.ToMediaFormat());
        media.SetRemote(new IPEndPoint(answer.Address, answer.Port));
        media.Sending = chosen.Direction.Sends();
    }

    /// <summary>
    /// Sends an INVITE to a phone in the background; its final response comes back to the call as the
    /// event <paramref name="finalEvent"/> makes. When the call has ended meanwhile (it CANCELled the
    /// leg), a late answer still gets its ACK and BYE and the media is freed.
    /// </summary>
    public void Ring(ActiveCall call, string what, SipRequest invite, SipRemote destination, RtpSession media, Func<SipResponse, CallEvent> finalEvent, Action<Exception> logFailure, Action<SipResponse>? provisional = null) =>
        background.Run(call, what, async () =>
        {
            SipResponse final;
            try
            {
                final = await layer().SendRequestAsync(invite, destination, provisional);
            }
            catch (InvalidOperationException e)
            {
                logFailure(e);
                final = SipMessageBuilder.CreateResponse(invite, 500);
            }

            if (post(call, finalEvent(final)) != PostOutcome.Posted)
            {
                await TidyUpLateAsync(invite, destination, media, final);
            }
        });

    /// <summary>
    /// Takes <paramref name="step"/> on <paramref name="leg"/>: ACK the 2xx <paramref name="answer"/>
    /// (the leg's dialog when it joins), CANCEL, BYE (after <paramref name="byeAfter"/>), free the media.
    /// Returns the actions, so the kind of leg does its own part of Join and Refused.
    /// </summary>
    public async Task<LegActions> StepAsync(ActiveCall call, OutgoingLeg leg, LegStep step, SipResponse? answer = null, Task? byeAfter = null)
    {
        var actions = leg.Take(step);
        var dialog = leg.Dialog;
        if ((actions & LegActions.Ack) != 0)
        {
            // RFC 3261 13.2.2.4: every 2xx gets its ACK, even one we then BYE.
            dialog = SipDialog.CreateUac(leg.Invite, answer!);
            await layer().SendAckAsync(dialog.CreateAck(leg.Invite.CSeq!.Value.Number, leg.Invite), leg.Destination);
            if ((actions & LegActions.Join) != 0)
            {
                leg.Joined(dialog);
            }
        }

        if ((actions & LegActions.Cancel) != 0)
        {
            SendInBackground(call, $"CANCEL to {leg.Describe()}", SipMessageBuilder.CreateCancel(leg.Invite), leg.Destination);
        }

        if ((actions & LegActions.Bye) != 0 && dialog is not null)
        {
            SendInBackground(call, $"BYE to {leg.Describe()}", dialog.CreateBye(), leg.Destination, byeAfter);
        }

        if ((actions & LegActions.FreeMedia) != 0)
        {
            await leg.Media.DisposeAsync();
        }

        return actions;
    }

    /// <summary>
    /// A request whose answer the call does not wait for (BYE, CANCEL, NOTIFY), tracked and logged if
    /// it fails; the call goes on (the leg it was for is already given up). It goes out once
    /// <paramref name="after"/> (a NOTIFY before the BYE that follows it) has its answer, or 2 s.
    /// </summary>
    public void SendInBackground(ActiveCall call, string what, SipRequest request, SipRemote destination, Task? after = null) =>
        background.Run(
            call,
            what,
            async () =>
            {
                if (after is not null)
                {
                    await after.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(static _ => { }, TaskScheduler.Default);
                }

                await layer().SendRequestAsync(request, destination);
            },
            static _ => { });

    /// <summary>Sends a request in one of the call's dialogs now and tracks it; the returned task is its answer.</summary>
    public Task<SipResponse> SendTracked(ActiveCall call, string what, SipRequest request, SipRemote destination)
    {
        var sent = layer().SendRequestAsync(request, destination);
        background.Run(call, what, () => sent, static _ => { });
        return sent;
    }

    /// <summary>A retransmitted 2xx of one of the call's INVITEs to a phone gets its ACK again (RFC 3261 13.2.2.4).</summary>
    public async Task ResendAckAsync(ActiveCall call, SipResponse response)
    {
        var id = new SipDialogId(response.CallId ?? "", response.From?.Tag ?? "", response.To?.Tag ?? "");
        OutgoingLeg?[] legs = [call.AgentLeg, call.ConsultLeg, call.Monitor, call.OutsideLeg];
        if (legs.FirstOrDefault(l => l?.Dialog is { } d && d.Id == id) is { Dialog: { } dialog } leg)
        {
            await layer().SendAckAsync(dialog.CreateAck(leg.Invite.CSeq!.Value.Number, leg.Invite), leg.Destination);
        }
    }

    /// <summary>Adds a finished relay's counters to the totals on /health.</summary>
    public void AccountRelay((LiveAudio A, LiveAudio B)? relay)
    {
        if (relay is { } r)
        {
            relayTotals.Add(r.A);
            relayTotals.Add(r.B);
        }
    }

    /// <summary>A bridge between a caller and an agent ended: counted on /health.</summary>
    public void CountBridge() => relayTotals.CountBridge();

    /// <summary>The final response to an INVITE the call no longer wants: ACK and BYE a 2xx, free the media.</summary>
    private async Task TidyUpLateAsync(SipRequest invite, SipRemote destination, RtpSession media, SipResponse final)
    {
        await media.DisposeAsync();
        if (final.IsSuccess)
        {
            var dialog = SipDialog.CreateUac(invite, final);
            await layer().SendAckAsync(dialog.CreateAck(invite.CSeq!.Value.Number, invite), destination);
            await layer().SendRequestAsync(dialog.CreateBye(), destination);
        }
    }
}
