using CallCenter.Contracts.Calls;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Agents;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using CallCenter.Telephony.Sip.Transactions;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Blind transfer of a bridged call, asked for by the agent's phone (REFER, RFC 3515) or through
/// the REST API: to another agent (their phone rings at once; if they do not take the call it
/// goes back to its queue) or to a queue. The transferring agent's leg ends (BYE, then wrap-up),
/// the caller hears music meanwhile, and the one recording of the call goes on.
/// </summary>
internal sealed partial class SipEndpoint
{
    public Task<CallControlResult> TransferAsync(string callId, string target) =>
        RunOnCallAsync(callId, "transfer", call => TransferAsync(call, target, notify: null));

    /// <summary>
    /// In the call's loop: plans the transfer, tells <paramref name="notify"/> the outcome (the REFER's
    /// NOTIFY, whose answer the agent leg's BYE then waits for, 2 s at most), then carries it out.
    /// </summary>
    private async Task<CallControlResult> TransferAsync(ActiveCall call, string target, Func<CallControlResult, Task>? notify)
    {
        var leg = call.AgentLeg is { Dialog: not null } bridged ? bridged : null;
        var waiting = call.Waiting ?? new WaitingCall(call.Id, call.Queue ?? "general", call.Tier, call.Language, [], time.GetUtcNow(), call.AccountManager);
        var (result, agent, next) = TransferPlanner.Plan(
            waiting, leg?.Extension, call.ConsultLeg is not null, target, presence.Find(target)?.Status, routing.Queues.ContainsKey(target), time.GetUtcNow());
        var notified = notify?.Invoke(result);
        if (!result.Done)
        {
            return result;
        }

        var now = time.GetUtcNow();
        call.AgentLeg = null;
        CloseBridgedLeg(call, leg!, "transferred", now);
        call.Media.Player.SetBackground(prompts.MusicOnHold);
        call.Recorder?.ReplaceLeft(null);
        call.Waiting = next;
        events.Write(EventKind.CallTransferred, call.Id, leg!.Extension, new { to = target });
        LogTransferred(logger, call.Id, call.CallId, leg.Extension, target);
        await ReleaseBridgedLegAsync(call, leg, sendBye: true, byeAfter: notified);
        var language = next!.Language ?? call.Language ?? "zh";
        void Announce(IReadOnlyList<Ivr.Prompts.IvrPrompt> list) => Post(call, new CallEvent.Announce(list));
        if (agent is not null)
        {
            // A missed offer puts the call back to waiting in its queue: the queues must know the caller.
            queues.Listen(call.Id, language, Announce);
            await OfferAsync(call, next, agent, $"transferred by agent {leg.Extension} to agent {agent}");
        }
        else
        {
            queues.Enqueue(next, language, Announce);
        }

        return result;
    }

    /// <summary>REFER from the agent's phone (RFC 3515): 202, then one NOTIFY with the outcome as sipfrag, then the transfer.</summary>
    private async Task AnswerReferAsync(SipServerTransaction transaction, SipRequest refer, ActiveCall call, AgentLeg leg)
    {
        var referTo = refer.Headers.Get("Refer-To");
        var position = 0;
        if (referTo is null
            || !SipNameAddressParser.TryRead(referTo, ref position, inList: false, SipParserLimits.Default, out var address, out _)
            || address.Uri.User is not { Length: > 0 } target)
        {
            var bad = transaction.CreateResponse(400);
            bad.ReasonPhrase = "Refer-To Missing Or Without A User";
            await transaction.SendResponseAsync(bad);
            return;
        }

        // RFC 3891: an attended transfer by the phone joins the caller to another of the phone's own
        // calls. Agents' phones cannot place calls through the platform, so that call is not ours to
        // replace: refused, with where to do it, rather than taken as a blind transfer it is not.
        if (address.Uri.Headers.Contains("Replaces"))
        {
            var attended = transaction.CreateResponse(501);
            attended.ReasonPhrase = "Attended Transfer By Replaces Not Supported";
            attended.Headers.Add("Warning", "399 callcenter \"consult and transfer from the desk; a REFER without Replaces transfers blind\"");
            await transaction.SendResponseAsync(attended);
            return;
        }

        await transaction.SendResponseAsync(transaction.CreateResponse(202));
        await TransferAsync(call, target, result =>
        {
            // RFC 3515 2.4.5: the final outcome as a sipfrag; the subscription ends with it.
            var notify = leg.Dialog!.CreateRequest(SipMethods.Notify);
            notify.Headers.Add("Event", "refer");
            notify.Headers.Add("Subscription-State", "terminated;reason=noresource");
            notify.ContentType = "message/sipfrag;version=2.0";
            var status = result.Error switch
            {
                CallControlError.None => "200 OK",
                CallControlError.UnknownTarget => "404 Not Found",
                _ => "480 Temporarily Unavailable",
            };
            notify.Body = System.Text.Encoding.ASCII.GetBytes($"SIP/2.0 {status}\r\n");

            // Sent now; the BYE that ends the agent's leg follows its answer, so the phone sees the
            // outcome before the end (RFC 3515 2.4.5). The call does not wait for it.
            var sent = Layer.SendRequestAsync(notify, leg.Destination);
            background.Run(call, "NOTIFY of the REFER", () => sent, static _ => { });
            return sent;
        });
    }

    [LoggerMessage(2120, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) transferred by agent {Agent} to {Target}")]
    private static partial void LogTransferred(ILogger logger, string callId, string sipCallId, string agent, string target);
}
