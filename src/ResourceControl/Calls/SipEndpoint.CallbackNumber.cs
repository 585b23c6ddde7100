using CallCenter.Data.Calls;
using CallCenter.Telephony.Media;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Queue key 2: the waiting caller keys in another number to be called back at, ending with #
/// (<see cref="CallbackNumberEntry"/> decides each key and silence). They keep their place in the queue
/// while they key (an agent who becomes free meanwhile still takes the call, and the entry is dropped). The
/// number goes through the dial plan and the do-not-call list: refused, the caller hears why and goes on
/// waiting; allowed, the callback is booked with their place and tier, the number is read back, and the
/// call ends, as for key 1. Offered only where key 1 is (a trunk, a caller id from a trusted peer).
/// </summary>
internal sealed partial class SipEndpoint
{
    private Task StartCallbackNumber(ActiveCall call)
    {
        var language = CallbackLanguage(call);
        if (!outbound.Callbacks.Available || !call.CallerVerified)
        {
            call.Media.Player.Play(call.NextPlayback(), [callMedia.Prompts.Get(language, "callback-unavailable")]);
            return Task.CompletedTask;
        }

        var prompt = callMedia.Prompts.Get(language, "callback-enter-number");
        call.KeysNumber(CallbackNumberEntry.Start);
        call.Media.Player.Play(call.NextPlayback(), [prompt]);
        StartCallbackNumberTimer(call, CallbackNumberEntry.Start.Timer, Seconds([prompt]));
        return Task.CompletedTask;
    }

    private Task CallbackNumberKeyAsync(ActiveCall call, char key)
    {
        var entry = call.CallbackNumber!;
        if (entry.Digits.Length == 0)
        {
            // The first key stops the prompt (barge-in): the caller knows what to do.
            call.Media.Player.Stop(call.Media.Player.Current);
        }

        return CallbackNumberStepAsync(call, entry.Key(key));
    }

    private Task CallbackNumberTimedOutAsync(ActiveCall call, int timer) => CallbackNumberStepAsync(call, call.CallbackNumber!.TimedOut(timer));

    private async Task CallbackNumberStepAsync(ActiveCall call, CallbackNumberStep step)
    {
        var language = CallbackLanguage(call);
        switch (step)
        {
            case CallbackNumberStep.Continue next:
                if (next.Entry.Timer != call.CallbackNumber!.Timer)
                {
                    StartCallbackNumberTimer(call, next.Entry.Timer, 0);
                }

                call.KeysNumber(next.Entry);
                break;
            case CallbackNumberStep.Cancel:
                StopCallbackNumber(call);
                call.Media.Player.Play(call.NextPlayback(), [callMedia.Prompts.Get(language, "cancelled"), callMedia.Prompts.Get(language, "callback-keep-waiting")]);
                break;
            case CallbackNumberStep.Complete done:
                StopCallbackNumber(call);
                await BookKeyedNumberAsync(call, done.Digits, language);
                break;
        }
    }

    /// <summary>The keyed number through the dial plan and the do-not-call list, then booked; a refusal is spoken and the caller waits on.</summary>
    private async Task BookKeyedNumberAsync(ActiveCall call, string digits, string language)
    {
        var waiting = call.Waiting!;
        var (number, refusal) = Outbound.DialPlan.Normalize(digits, outbound.Dialing);
        var (spoken, reason) = number is null
            ? (refusal!.NotAllowed ? "callback-number-barred" : "callback-number-invalid", refusal.Reason)

            // The reason on the list is the firm's, not the caller's to hear.
            : outbound.Rules.DoNotCallReason(number.E164) is not null ? ("callback-number-barred", $"{number.E164} is on the do-not-call list") : (null, null);
        if (spoken is not null)
        {
            LogKeyedNumberRefused(logger, call.Id, call.CallId, spoken, reason!);
            call.Media.Player.Play(call.NextPlayback(), [callMedia.Prompts.Get(language, spoken), callMedia.Prompts.Get(language, "callback-keep-waiting")]);
            return;
        }

        var booked = await TryBookCallbackAsync(call, new Outbound.CallbackRequest(
            number!.Dial, waiting.Queue, "queue-key-number", waiting.EnteredAt, null, call.Tier, language, call.AccountManager, waiting.RequiredSkills, call.Id, RequestedBy: call.Caller));
        if (booked.Callback is null)
        {
            call.Media.Player.Play(call.NextPlayback(), [callMedia.Prompts.Get(language, booked.Limited ? "callback-limit" : "callback-unavailable")]);
            return;
        }

        acd.Queues.Remove(call.Id);
        WriteBooked(call, booked.Callback);
        if (booked.Existing)
        {
            // That number has a callback pending already: it keeps its place, nothing more is booked.
            PlayThenHangUp(call, callMedia.Prompts.Get(language, "callback-already-booked"), CallDisposition.CallbackRequested);
            return;
        }

        List<AudioClip> message = [callMedia.Prompts.Get(language, "callback-number-is"), .. callMedia.Prompts.Get(Ivr.Say.IvrSay.Digits(language, number.Dial)), callMedia.Prompts.Get(language, "callback-booked-number")];
        PlayThenHangUp(call, message, CallDisposition.CallbackRequested);
    }

    /// <summary>The ACD gave the waiting caller an agent: a number being keyed in is dropped (the agent talks to them now).</summary>
    private Task OfferAgentAsync(ActiveCall call, Routing.RoutingAssignment assignment)
    {
        StopCallbackNumber(call);
        return Agents.OfferAsync(call, assignment.Call, assignment.Agent, assignment.Explanation.ToString());
    }

    /// <summary>A one-shot timer that only posts to the call's loop (a stale one is told apart by its number).</summary>
    private void StartCallbackNumberTimer(ActiveCall call, int timer, double promptSeconds)
    {
        call.NumberTimerStarts(time.CreateTimer(
            static state => { var (call, timer) = ((ActiveCall, int))state!; call.Mailbox.Post(new CallEvent.CallbackNumberTimedOut(timer)); },
            (call, timer),
            TimeSpan.FromSeconds(promptSeconds + CallbackNumberEntry.SilenceSeconds),
            Timeout.InfiniteTimeSpan));
    }

    private static void StopCallbackNumber(ActiveCall call)
    {
        call.KeysNumber(null);
    }

    private static string CallbackLanguage(ActiveCall call) => call.Language ?? call.Waiting?.Language ?? "zh";

    private static double Seconds(IEnumerable<AudioClip> clips) => clips.Sum(c => c.Samples / 8000.0);

    [LoggerMessage(5450, LogLevel.Information, "Call {CallId} (SIP {SipCallId}): the number keyed for a callback was refused, the caller hears {Prompt} and keeps waiting: {Reason}")]
    private static partial void LogKeyedNumberRefused(ILogger logger, string callId, string sipCallId, string prompt, string reason);
}
