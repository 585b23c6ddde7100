using CallCenter.Ivr.Flows;
using CallCenter.Ivr.Prompts;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Runs a call's IVR session: turns the session's actions into prompts, timers and outcomes, and
/// feeds keys, prompt ends and timer expiries back. One lock per call keeps the session's events in
/// order; the work inside it is short (start a prompt, arm a timer) and never waits on I/O.
/// </summary>
internal sealed partial class IvrCallRunner : IRtpSessionEvents, IDisposable
{
    private readonly object _gate = new();
    private readonly ActiveCall _call;
    private readonly IvrSession _session;
    private readonly PromptLibrary _prompts;
    private readonly Queues.AcdQueues _queues;
    private readonly TimeProvider _time;
    private readonly Func<ActiveCall, string, Task> _hangUp;
    private readonly ILogger _logger;
    private readonly Dictionary<long, ITimer> _timers = [];
    private bool _disposed;
    private long _announcementId = 1L << 40;

    public IvrCallRunner(ActiveCall call, IvrSession session, PromptLibrary prompts, Queues.AcdQueues queues, TimeProvider time, Func<ActiveCall, string, Task> hangUp, ILogger logger)
    {
        _queues = queues;
        _call = call;
        _session = session;
        _prompts = prompts;
        _time = time;
        _hangUp = hangUp;
        _logger = logger;
    }

    public void Start() => Run(() => _session.Start(_time.GetUtcNow()));

    public void OnDigit(RtpSession session, char digit) => Handle(new IvrEvent.Digit(digit));

    public void OnPlaybackFinished(RtpSession session, long playbackId) => Handle(new IvrEvent.PlaybackFinished(playbackId));

    /// <summary>The caller hung up: the session ends and its timers stop.</summary>
    public void CallerHungUp()
    {
        Handle(new IvrEvent.CallerHungUp());
        Dispose();
    }

    private void Handle(IvrEvent e) => Run(() => _session.Handle(e, _time.GetUtcNow()));

    private void Run(Func<IReadOnlyList<IvrAction>> step)
    {
        string? hangUpReason = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            foreach (var action in step())
            {
                hangUpReason ??= Apply(action);
            }

            _call.IvrPath.Clear();
            _call.IvrPath.AddRange(_session.Path);
            _call.IvrTrace = [.. _session.Trace];
        }

        if (hangUpReason is not null)
        {
            _ = _hangUp(_call, hangUpReason);
        }
    }

    /// <summary>Carries out one action; returns a hang-up reason when the flow ends the call.</summary>
    private string? Apply(IvrAction action)
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
                    static state => { var (runner, id) = ((IvrCallRunner, long))state!; runner.Handle(new IvrEvent.TimerFired(id)); },
                    (this, start.TimerId),
                    start.After,
                    Timeout.InfiniteTimeSpan);
                break;
            case IvrAction.CancelTimer cancel:
                CancelTimer(cancel.TimerId);
                break;
            case IvrAction.QueueForAgent queue:
                // The caller waits in tier order with music on hold until an agent answers.
                _call.Queue = queue.Queue;
                _call.Media.Player.SetBackground(_prompts.MusicOnHold);
                _call.Waiting = new Routing.WaitingCall(
                    _call.Id,
                    queue.Queue,
                    _call.Tier,
                    _session.Language,
                    [.. queue.Skills.Where(s => s != _session.Language)],
                    _time.GetUtcNow(),
                    _call.AccountManager,
                    queue.Priority);
                _queues.Enqueue(_call.Waiting, _session.Language, Announce);
                LogQueued(_logger, _call.Id, queue.Queue, queue.Priority);
                break;
            case IvrAction.HangUp hangUp:
                return "ivr-" + hangUp.Reason;
            default:
                break;
        }

        return null;
    }

    // Queue announcements use their own playback ids, far above the session's, so its events ignore them.
    private void Announce(IReadOnlyList<IvrPrompt> prompts) =>
        _call.Media.Player.Play(Interlocked.Increment(ref _announcementId), _prompts.Get(prompts));

    private void CancelTimer(long id)
    {
        if (_timers.Remove(id, out var timer))
        {
            timer.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var timer in _timers.Values)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }
    }

    [LoggerMessage(2400, LogLevel.Information, "Call {CallId} queued for {Queue} (priority {Priority})")]
    private static partial void LogQueued(ILogger logger, string callId, string queue, int priority);
}
