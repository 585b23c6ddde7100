namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A call's mailbox: a queue of <see cref="CallEvent"/>s drained by one loop, so the call's state has
/// one owner and needs no lock (FreeSWITCH's session queue, not Asterisk's channel locks). Posting
/// never waits for a handler. What outsiders send is bounded: requests in the call's dialogs (but BYE), desk
/// commands and retransmitted responses at <see cref="Capacity"/> waiting (<c>Sip:CallMailboxCapacity</c> for
/// an inbound call), the caller's keys at
/// <see cref="DigitCapacity"/>; a poster that finds its share full gets <see cref="PostOutcome.Full"/>
/// and answers for itself (503 for SIP), so a flood of keys or re-INVITEs cannot crowd out the
/// platform's own events (a BYE, the ACD's assignment, a ring timeout, a phone's answer), which are
/// always taken. Once the call has ended and its mailbox is closed, late posts get
/// <see cref="PostOutcome.Closed"/>. Events already queued when it closes are still handled, in order.
/// </summary>
internal sealed class CallMailbox(int capacity = CallMailbox.Capacity) : IThreadPoolWorkItem
{
    /// <summary>Outsiders' events (in-dialog requests, desk commands) a call may have waiting, unless configured.</summary>
    public const int Capacity = 512;

    private readonly int _capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A call's mailbox takes at least one outsider's event.");

    /// <summary>Keys a call may have waiting; a caller presses a few a second, a flood is dropped.</summary>
    public const int DigitCapacity = 64;

    // The queue, the shares and whether a drain is under way change together, under one short lock
    // that never spans a handler: the call's own state is the handler's alone (one drain at a time).
    private readonly Lock _gate = new();
    private readonly Queue<CallEvent> _events = new();
    private readonly TaskCompletionSource _loop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<CallEvent, Task>? _handle;
    private Action<CallEvent, Exception>? _escaped;
    private bool _draining;
    private bool _closed;
    private int _outsiders;
    private int _digits;
    private int _refused;

    /// <summary>Complete once the mailbox is closed and every event in it has been handled.</summary>
    public Task Loop => _loop.Task;

    /// <summary>Events refused as full so far (the first one is logged, not every one).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>
    /// Hands each event to <paramref name="handle"/>, one at a time, in the order posted; events posted before wait
    /// for this. An exception the handler lets out goes to <paramref name="escaped"/> and the next event is handled
    /// as usual: one bad step never leaves the call's later events (a desk command waiting for its answer) unhandled.
    /// </summary>
    public void Start(Func<CallEvent, Task> handle, Action<CallEvent, Exception>? escaped = null)
    {
        lock (_gate)
        {
            _handle = handle;
            _escaped = escaped;
            if (_events.Count == 0)
            {
                if (_closed)
                {
                    _loop.TrySetResult();
                }

                return;
            }

            _draining = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>
    /// Queues <paramref name="e"/>. With <paramref name="inline"/> and no drain under way, the poster's
    /// thread handles it at once, up to the handler's first wait, and the thread pool takes whatever
    /// follows: one thread hop less for the few posters that hold no lock and may run a short step
    /// (a UDP receive thread with the caller's ACK or BYE, the directory's answer). Everyone else queues.
    /// </summary>
    public PostOutcome Post(CallEvent e, bool inline = false)
    {
        var share = ShareOf(e);
        lock (_gate)
        {
            if (_closed)
            {
                return PostOutcome.Closed;
            }

            if (share != Share.Platform)
            {
                ref var count = ref share == Share.Digits ? ref _digits : ref _outsiders;
                if (count >= (share == Share.Digits ? DigitCapacity : _capacity))
                {
                    _refused++;
                    return PostOutcome.Full;
                }

                count++;
            }

            _events.Enqueue(e);
            if (_draining || _handle is null)
            {
                return PostOutcome.Posted;
            }

            _draining = true;
        }

        if (inline)
        {
            _ = DrainAsync(inline: true);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return PostOutcome.Posted;
    }

    /// <summary>No more events after those already queued: the call has ended.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            if (!_draining && _events.Count == 0)
            {
                _loop.TrySetResult();
            }
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = DrainAsync(inline: false);

    // The one drain: handles what is queued, in order, until the queue is empty. Started inline, it
    // leaves the poster's thread after one event handled there: the rest goes to the thread pool.
    private async Task DrainAsync(bool inline)
    {
        while (TryTake(out var e))
        {
            try
            {
                var step = _handle!(e);
                if (!step.IsCompleted)
                {
                    inline = false;
                }

                await step;
            }
            catch (Exception failure)
            {
                Escaped(e, failure);
            }

            if (inline)
            {
                if (!TryFinish())
                {
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                }

                return;
            }
        }
    }

    private void Escaped(CallEvent e, Exception failure)
    {
        try
        {
            _escaped?.Invoke(e, failure);
        }
        catch (Exception)
        {
            // Reporting must not stop the drain either.
        }
    }

    /// <summary>The next event, its share given back; or none, and the drain is over.</summary>
    private bool TryTake(out CallEvent e)
    {
        lock (_gate)
        {
            if (!_events.TryDequeue(out e!))
            {
                Finish();
                return false;
            }

            switch (ShareOf(e))
            {
                case Share.Digits:
                    _digits--;
                    break;
                case Share.Outsiders:
                    _outsiders--;
                    break;
                default:
                    break;
            }

            return true;
        }
    }

    /// <summary>Ends the drain if nothing is queued; false when more is waiting (the drain goes on).</summary>
    private bool TryFinish()
    {
        lock (_gate)
        {
            if (_events.Count > 0)
            {
                return false;
            }

            Finish();
            return true;
        }
    }

    // Under the gate.
    private void Finish()
    {
        _draining = false;
        if (_closed)
        {
            _loop.TrySetResult();
        }
    }

    // Whose events count against which limit: a BYE is never refused (a phone takes its BYE as the
    // end of the call whatever the answer), nor is anything the platform itself posts.
    private static Share ShareOf(CallEvent e) => e switch
    {
        CallEvent.Digit or CallEvent.ClientKey => Share.Digits,
        CallEvent.SipRequestArrived r when r.Request.Method != Telephony.Sip.Messages.SipMethods.Bye => Share.Outsiders,
        CallEvent.Command or CallEvent.RetransmittedOk => Share.Outsiders,
        _ => Share.Platform,
    };

    private enum Share
    {
        Platform,
        Outsiders,
        Digits,
    }
}

internal enum PostOutcome
{
    Posted,

    /// <summary>The poster's share of the mailbox is full: it answers "busy" (or drops a key).</summary>
    Full,

    /// <summary>The call has ended.</summary>
    Closed,
}
