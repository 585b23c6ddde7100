using CallCenter.Data.Calls;
using CallCenter.Ivr.Flows;
using CallCenter.Ivr.Prompts;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Runs a call's IVR session: turns the session's actions into prompts, timers and outcomes, and
/// feeds keys, prompt ends and timer expiries back. It lives in the call's loop: the media threads
/// and timers only post events (<see cref="CallEvent.Digit"/>, <see cref="CallEvent.PlaybackFinished"/>,
/// <see cref="CallEvent.IvrTimerFired"/>), which the loop hands to <see cref="Handle"/>. A step that
/// ends the call returns its reason; the loop hangs up.
/// </summary>
internal sealed partial class IvrCallRunner : IRtpSessionEvents, IDisposable
{
    private readonly ActiveCall _call;
    private readonly IvrSession _session;
    private readonly PromptLibrary _prompts;
    private readonly Queues.AcdQueues _queues;
    private readonly TimeProvider _time;
    private readonly Func<CallEvent, PostOutcome> _post;
    private readonly ILogger _logger;
    private readonly Dictionary<long, ITimer> _timers = [];
    private readonly SelfServiceRequests? _selfService;
    private bool _disposed;

    // The account of the PIN check in flight: the call is verified for it once the check says so.
    private string? _verifying;

    public IvrCallRunner(ActiveCall call, IvrSession session, PromptLibrary prompts, Queues.AcdQueues queues, TimeProvider time, Func<CallEvent, PostOutcome> post, ILogger logger, SelfServiceRequests? selfService = null)
    {
        _selfService = selfService;
        _queues = queues;
        _call = call;
        _session = session;
        _prompts = prompts;
        _time = time;
        _post = post;
        _logger = logger;
    }

    /// <summary>Starts the flow; a hang-up reason when it ends the call at once.</summary>
    public CallDisposition? Start() => Run(_session.Start(_time.GetUtcNow()));

    /// <summary>One event for the session, in the call's loop; a hang-up reason when the flow ends the call.</summary>
    public CallDisposition? Handle(IvrEvent e)
    {
        if (_disposed)
        {
            return null;
        }

        // The caller is verified once the session takes the back office's "verified" (a late
        // answer, after the node gave up, verifies nothing).
        if (e is IvrEvent.Answered { Result: "verified" } answered && answered.RequestId == _session.PendingRequest
            && _session.PendingOperation == Ivr.SelfService.IvrOperations.VerifyPin)
        {
            _call.PinVerified(_verifying);
        }

        return Run(_session.Handle(e, _time.GetUtcNow()));
    }

    // From the RTP receive threads and the media side: only posted.
    void IRtpSessionEvents.OnDigit(RtpSession session, char digit) => _post(new CallEvent.Digit(digit));

    void IRtpSessionEvents.OnPlaybackFinished(RtpSession session, long playbackId) => _post(new CallEvent.PlaybackFinished(playbackId));

    void IRtpSessionEvents.OnFaxTone(RtpSession session) => _post(new CallEvent.FaxToneDetected());

    /// <summary>
    /// The call has ended (the caller hung up, or the platform ends it): the session ends and its timers
    /// stop. Never throws: a session that failed earlier (the step that threw is what ended the call)
    /// must not stop the call's tear-down, which frees its media and writes its record.
    /// </summary>
    public void CallerHungUp()
    {
        try
        {
            Handle(new IvrEvent.CallerHungUp());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogHangUpFailed(_logger, e, _call.Id, _call.CallId);
        }
        finally
        {
            Dispose();
        }
    }

    private CallDisposition? Run(IReadOnlyList<IvrAction> actions)
    {
        if (_disposed)
        {
            return null;
        }

        try
        {
            CallDisposition? hangUp = null;
            foreach (var action in actions)
            {
                hangUp ??= Apply(action);
            }

            return hangUp;
        }
        finally
        {
            // Also when an action threw (the call's loop then ends the call): the record shows the
            // nodes the caller went through, and a masked entry stays silent on the recording.
            Reflect();
        }
    }

    private void Reflect()
    {
        // A masked entry (account number, PIN) is silence on the record: the caller's tones and the
        // prompt alike, from the node's start to its end (RFC 4733 events are never audio anyway).
        if (_call.Recorder is { } recorder)
        {
            recorder.Muted = !_session.IsFinished && _session.MasksKeys;
        }

        _call.WalkedIvr(_session.Trace);
    }

    /// <summary>Carries out one action; returns the disposition when the flow ends the call.</summary>
    private CallDisposition? Apply(IvrAction action)
    {
        switch (action)
        {
            case IvrAction.Play play:
                _call.Media.Player.Play(play.PlaybackId, _prompts.Get(play.Prompts));
                break;
            case IvrAction.StopPlayback stop:
                _call.Media.Player.Stop(stop.PlaybackId);
                break;
            case IvrAction.StartTimer start:
                CancelTimer(start.TimerId);
                _timers[start.TimerId] = _time.CreateTimer(
                    static state => { var (post, id) = ((Func<CallEvent, PostOutcome>, long))state!; post(new CallEvent.IvrTimerFired(id)); },
                    (_post, start.TimerId),
                    start.After,
                    Timeout.InfiniteTimeSpan);
                break;
            case IvrAction.CancelTimer cancel:
                CancelTimer(cancel.TimerId);
                break;
            case IvrAction.QueueForAgent queue:
                // The caller waits in tier order with music on hold until an agent answers.
                _call.Media.Player.SetBackground(_prompts.MusicOnHold);
                var waiting = new Routing.WaitingCall(
                    _call.Id,
                    queue.Queue,
                    _call.Tier,
                    _session.Language,
                    [.. queue.Skills.Where(s => s != _session.Language)],
                    _time.GetUtcNow(),
                    _call.AccountManager,
                    queue.Priority)
                { Caller = _call.Caller, SipCallId = _call.CallId };
                _call.Enqueued(queue.Queue, waiting);
                _queues.Enqueue(waiting, _session.Language, list => _post(new CallEvent.Announce(list)));
                LogQueued(_logger, _call.Id, _call.CallId, queue.Queue, queue.Priority);
                break;
            case IvrAction.BackOfficeRequest request:
                // Off the loop: the answer comes back as an event (IvrAnswered), the call never waits.
                if (request.Operation == Ivr.SelfService.IvrOperations.VerifyPin)
                {
                    _verifying = request.Inputs.GetValueOrDefault("account");
                }

                if (_selfService is null)
                {
                    _post(new CallEvent.IvrAnswered(IvrEvent.Answered.Error(request.RequestId)));
                }
                else
                {
                    _selfService.Start(_call, request, answer => _post(new CallEvent.IvrAnswered(answer)));
                }

                break;
            case IvrAction.HangUp hangUp:
                return CallDisposition.IvrHangUp(hangUp.Reason);
            default:
                break;
        }

        return null;
    }

    private void CancelTimer(long id)
    {
        if (_timers.Remove(id, out var timer))
        {
            timer.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var timer in _timers.Values)
        {
            timer.Dispose();
        }

        _timers.Clear();
    }

    [LoggerMessage(9057, LogLevel.Warning, "Call {CallId} (SIP {SipCallId}): the IVR session could not take the hang-up; its timers are stopped and the call ends")]
    private static partial void LogHangUpFailed(ILogger logger, Exception exception, string callId, string sipCallId);

    [LoggerMessage(2400, LogLevel.Information, "Call {CallId} (SIP {SipCallId}) queued for {Queue} (priority {Priority})")]
    private static partial void LogQueued(ILogger logger, string callId, string sipCallId, string queue, int priority);
}
