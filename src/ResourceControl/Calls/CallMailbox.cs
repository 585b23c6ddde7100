using System.Threading.Channels;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A call's mailbox: a queue of <see cref="CallEvent"/>s drained by one loop, so the call's state has
/// one owner and needs no lock (FreeSWITCH's session queue, not Asterisk's channel locks). Posting
/// never blocks. What outsiders send is bounded: requests in the call's dialogs (but BYE), desk
/// commands and retransmitted responses at <see cref="Capacity"/> waiting (<c>Sip:CallMailboxCapacity</c> for
/// an inbound call), the caller's keys at
/// <see cref="DigitCapacity"/>; a poster that finds its share full gets <see cref="PostOutcome.Full"/>
/// and answers for itself (503 for SIP), so a flood of keys or re-INVITEs cannot crowd out the
/// platform's own events (a BYE, the ACD's assignment, a ring timeout, a phone's answer), which are
/// always taken. Once the call has ended and its mailbox is closed, late posts get
/// <see cref="PostOutcome.Closed"/>. Events already queued when it closes are still handled, in order.
/// </summary>
internal sealed class CallMailbox(int capacity = CallMailbox.Capacity)
{
    /// <summary>Outsiders' events (in-dialog requests, desk commands) a call may have waiting, unless configured.</summary>
    public const int Capacity = 512;

    private readonly int _capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A call's mailbox takes at least one outsider's event.");

    /// <summary>Keys a call may have waiting; a caller presses a few a second, a flood is dropped.</summary>
    public const int DigitCapacity = 64;

    private readonly Channel<CallEvent> _events = Channel.CreateUnbounded<CallEvent>(new UnboundedChannelOptions
    {
        SingleReader = true,
        AllowSynchronousContinuations = false,
    });

    private volatile bool _closed;
    private int _outsiders;
    private int _digits;
    private int _refused;

    /// <summary>The loop draining the mailbox; complete once it is closed and empty.</summary>
    public Task Loop { get; private set; } = Task.CompletedTask;

    /// <summary>Events refused as full so far (the first one is logged, not every one).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Starts the one loop that hands each event to <paramref name="handle"/>, one at a time, in order.</summary>
    public void Start(Func<CallEvent, Task> handle) => Loop = Task.Run(async () =>
    {
        await foreach (var e in _events.Reader.ReadAllAsync())
        {
            switch (ShareOf(e))
            {
                case Share.Digits:
                    Interlocked.Decrement(ref _digits);
                    break;
                case Share.Outsiders:
                    Interlocked.Decrement(ref _outsiders);
                    break;
                default:
                    break;
            }

            await handle(e);
        }
    });

    public PostOutcome Post(CallEvent e)
    {
        if (_closed)
        {
            return PostOutcome.Closed;
        }

        var share = ShareOf(e);
        ref var count = ref share == Share.Digits ? ref _digits : ref _outsiders;
        var limit = share == Share.Digits ? DigitCapacity : _capacity;
        if (share != Share.Platform && Interlocked.Increment(ref count) > limit)
        {
            Interlocked.Decrement(ref count);
            Interlocked.Increment(ref _refused);
            return PostOutcome.Full;
        }

        if (_events.Writer.TryWrite(e))
        {
            return PostOutcome.Posted;
        }

        if (share != Share.Platform)
        {
            Interlocked.Decrement(ref count);
        }

        return PostOutcome.Closed;
    }

    /// <summary>No more events after those already queued: the call has ended.</summary>
    public void Close()
    {
        _closed = true;
        _events.Writer.TryComplete();
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
