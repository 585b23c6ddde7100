using System.Threading.Channels;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A call's mailbox: a bounded queue of <see cref="CallEvent"/>s drained by one loop, so the call's
/// state has one owner and needs no lock (FreeSWITCH's session queue, not Asterisk's channel locks).
/// Posting never blocks: a receive loop or a media thread that finds the mailbox full gets false and
/// answers for itself (503 for SIP), and once the call has ended and its mailbox is closed, late
/// posts get false too. Events already queued when it closes are still handled, in order.
/// </summary>
internal sealed class CallMailbox
{
    /// <summary>Events a call may have waiting; far beyond what a live call sees (a few a second).</summary>
    public const int Capacity = 512;

    private readonly Channel<CallEvent> _events = Channel.CreateBounded<CallEvent>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
        AllowSynchronousContinuations = false,
    });

    private volatile bool _closed;

    /// <summary>The loop draining the mailbox; complete once it is closed and empty.</summary>
    public Task Loop { get; private set; } = Task.CompletedTask;

    public bool IsClosed => _closed;

    /// <summary>Events waiting now.</summary>
    public int Count => _events.Reader.Count;

    /// <summary>Starts the one loop that hands each event to <paramref name="handle"/>, one at a time, in order.</summary>
    public void Start(Func<CallEvent, Task> handle) => Loop = Task.Run(async () =>
    {
        await foreach (var e in _events.Reader.ReadAllAsync())
        {
            await handle(e);
        }
    });

    public PostOutcome Post(CallEvent e) =>
        _closed ? PostOutcome.Closed
        : _events.Writer.TryWrite(e) ? PostOutcome.Posted
        : _closed ? PostOutcome.Closed
        : PostOutcome.Full;

    /// <summary>No more events after those already queued: the call has ended.</summary>
    public void Close()
    {
        _closed = true;
        _events.Writer.TryComplete();
    }
}

internal enum PostOutcome
{
    Posted,

    /// <summary>The mailbox holds <see cref="CallMailbox.Capacity"/> events: the poster answers "busy".</summary>
    Full,

    /// <summary>The call has ended.</summary>
    Closed,
}
