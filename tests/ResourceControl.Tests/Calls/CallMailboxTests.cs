using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>A call's mailbox: one event at a time, in order; posting never blocks; a closed call takes nothing new.</summary>
public sealed class CallMailboxTests
{
    [Test]
    public async Task EventsAreHandledInTheOrderPostedAndNeverTwoAtOnce()
    {
        var mailbox = new CallMailbox();
        var seen = new List<char>();
        var running = 0;
        var overlapped = false;
        mailbox.Start(async e =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            await Task.Delay(1);
            seen.Add(((CallEvent.Digit)e).Key);
            Interlocked.Decrement(ref running);
        });

        // Posted from several threads at once, each thread's own keys in order.
        var threads = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            foreach (var key in "0123456789")
            {
                Assert.That(mailbox.Post(new CallEvent.Digit((char)(key + (t * 10)))), Is.EqualTo(PostOutcome.Posted));
            }
        })).ToArray();
        await Task.WhenAll(threads);
        mailbox.Close();
        await mailbox.Loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(overlapped, Is.False);
        Assert.That(seen, Has.Count.EqualTo(40));
        for (var t = 0; t < 4; t++)
        {
            var mine = seen.Where(k => k >= '0' + (t * 10) && k <= '9' + (t * 10)).ToList();
            Assert.That(mine, Is.Ordered, $"thread {t}'s keys");
        }
    }

    [Test]
    public async Task AFloodOfKeysOrCommandsIsRefusedAtOnceButThePlatformsOwnEventsStillGetIn()
    {
        var mailbox = new CallMailbox();
        var release = new TaskCompletionSource();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new List<CallEvent>();
        mailbox.Start(async e =>
        {
            inHandler.TrySetResult();
            await release.Task;
            handled.Add(e);
        });

        // The loop takes the first key and waits in its handler; the rest fill the keys' share, then are refused.
        Assert.That(mailbox.Post(new CallEvent.Digit('0')), Is.EqualTo(PostOutcome.Posted));
        await inHandler.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var keys = 1;
        while (mailbox.Post(new CallEvent.Digit('1')) == PostOutcome.Posted && keys <= CallMailbox.DigitCapacity + 1)
        {
            keys++;
        }

        var commands = 0;
        while (mailbox.Post(Command()) == PostOutcome.Posted && commands <= CallMailbox.Capacity)
        {
            commands++;
        }

        Assert.That(keys, Is.EqualTo(CallMailbox.DigitCapacity + 1));
        Assert.That(commands, Is.EqualTo(CallMailbox.Capacity));
        Assert.That(mailbox.Post(new CallEvent.Digit('2')), Is.EqualTo(PostOutcome.Full));
        Assert.That(mailbox.Post(Command()), Is.EqualTo(PostOutcome.Full));
        Assert.That(mailbox.Refused, Is.EqualTo(4));

        // What the platform posts (a ring timeout, the ACD, shutdown) is never crowded out.
        Assert.That(mailbox.Post(new CallEvent.CallbackMessagePlayed(CallCenter.Data.Calls.CallDisposition.OverflowCallback)), Is.EqualTo(PostOutcome.Posted));
        Assert.That(mailbox.Post(new CallEvent.Shutdown()), Is.EqualTo(PostOutcome.Posted));

        release.SetResult();
        mailbox.Close();
        await mailbox.Loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(handled[^1], Is.TypeOf<CallEvent.Shutdown>());

        // Every key that got in was handled, in order, before the shutdown.
        Assert.That(handled.OfType<CallEvent.Digit>().Count(), Is.EqualTo(keys));
    }

    [Test]
    public async Task AConfiguredCapacityBoundsTheOutsidersShareAndKeysKeepTheirOwn()
    {
        var mailbox = new CallMailbox(capacity: 2);
        var release = new TaskCompletionSource();
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        mailbox.Start(async _ =>
        {
            inHandler.TrySetResult();
            await release.Task;
        });

        // The loop holds the first command; two more wait; the next is refused.
        Assert.That(mailbox.Post(Command()), Is.EqualTo(PostOutcome.Posted));
        await inHandler.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(mailbox.Post(Command()), Is.EqualTo(PostOutcome.Posted));
        Assert.That(mailbox.Post(Command()), Is.EqualTo(PostOutcome.Posted));
        Assert.That(mailbox.Post(Command()), Is.EqualTo(PostOutcome.Full));
        Assert.That(mailbox.Post(new CallEvent.Digit('1')), Is.EqualTo(PostOutcome.Posted), "keys have their own share");
        Assert.That(mailbox.Post(new CallEvent.Shutdown()), Is.EqualTo(PostOutcome.Posted), "the platform's events are never refused");

        release.SetResult();
        mailbox.Close();
        await mailbox.Loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(() => new CallMailbox(capacity: 0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    private static CallEvent.Command Command() =>
        new("hold", _ => Task.FromResult(new Contracts.Calls.CallControlResult(Contracts.Calls.CallControlError.None, "")), new());

    [Test]
    public async Task AClosedMailboxRefusesNewEventsButHandlesThoseAlreadyQueued()
    {
        var mailbox = new CallMailbox();
        var release = new TaskCompletionSource();
        var handled = 0;
        mailbox.Start(async _ =>
        {
            await release.Task;
            handled++;
        });
        Assert.That(mailbox.Post(new CallEvent.Digit('1')), Is.EqualTo(PostOutcome.Posted));
        Assert.That(mailbox.Post(new CallEvent.Digit('2')), Is.EqualTo(PostOutcome.Posted));

        mailbox.Close();

        Assert.That(mailbox.Post(new CallEvent.Digit('3')), Is.EqualTo(PostOutcome.Closed));
        release.SetResult();
        await mailbox.Loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(handled, Is.EqualTo(2));
    }

    [Test]
    public async Task AnInlinePostToAnIdleCallRunsItsStepOnThePostersThreadAndNoMore()
    {
        var mailbox = new CallMailbox();
        var threads = new System.Collections.Concurrent.ConcurrentQueue<(char Key, int Thread)>();
        var letSecondFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        mailbox.Start(async e =>
        {
            var key = ((CallEvent.Digit)e).Key;
            var thread = Environment.CurrentManagedThreadId;
            if (key == '1')
            {
                threads.Enqueue((key, thread));

                // Queued while the first step runs: the poster's thread must not be kept for it.
                Assert.That(mailbox.Post(new CallEvent.Digit('2'), inline: true), Is.EqualTo(PostOutcome.Posted));
                return;
            }

            // The second step holds until the test has looked, so what the test sees right after Post is the first alone.
            await letSecondFinish.Task;
            threads.Enqueue((key, thread));
            second.TrySetResult(thread);
        });

        var poster = Environment.CurrentManagedThreadId;
        Assert.That(mailbox.Post(new CallEvent.Digit('1'), inline: true), Is.EqualTo(PostOutcome.Posted));

        // The first step ran before Post returned, here; the second went to the thread pool.
        Assert.That(threads, Is.EqualTo(new[] { ('1', poster) }));
        letSecondFinish.SetResult();
        Assert.That(await second.Task.WaitAsync(TimeSpan.FromSeconds(10)), Is.Not.EqualTo(poster));

        // A plain post never runs on the poster's thread.
        var plain = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var other = new CallMailbox();
        other.Start(_ =>
        {
            plain.TrySetResult(Environment.CurrentManagedThreadId);
            return Task.CompletedTask;
        });
        other.Post(new CallEvent.Digit('3'));
        Assert.That(await plain.Task.WaitAsync(TimeSpan.FromSeconds(10)), Is.Not.EqualTo(poster));
        mailbox.Close();
        other.Close();
        await Task.WhenAll(mailbox.Loop, other.Loop).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task AnInlineStepThatWaitsGivesThePostersThreadBackAndTheCallGoesOnInOrder()
    {
        var mailbox = new CallMailbox();
        var release = new TaskCompletionSource();
        var seen = new List<char>();
        mailbox.Start(async e =>
        {
            var key = ((CallEvent.Digit)e).Key;
            if (key == '1')
            {
                await release.Task;
            }

            seen.Add(key);
        });

        // Post returns while the first step waits (a receive thread is never held by a call's wait).
        Assert.That(mailbox.Post(new CallEvent.Digit('1'), inline: true), Is.EqualTo(PostOutcome.Posted));
        Assert.That(mailbox.Post(new CallEvent.Digit('2'), inline: true), Is.EqualTo(PostOutcome.Posted));
        Assert.That(seen, Is.Empty);
        release.SetResult();
        mailbox.Close();
        await mailbox.Loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(seen, Is.EqualTo(new[] { '1', '2' }));
    }

    [Test]
    public async Task EventsPostedBeforeTheLoopStartsWaitForItAndAClosedUnstartedMailboxIsDone()
    {
        var mailbox = new CallMailbox();
        Assert.That(mailbox.Post(new CallEvent.Digit('1'), inline: true), Is.EqualTo(PostOutcome.Posted));
        var handled = new TaskCompletionSource<char>(TaskCreationOptions.RunContinuationsAsynchronously);
        mailbox.Start(e =>
        {
            handled.TrySetResult(((CallEvent.Digit)e).Key);
            return Task.CompletedTask;
        });
        Assert.That(await handled.Task.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo('1'));

        var never = new CallMailbox();
        never.Close();
        Assert.That(never.Loop.IsCompleted, Is.True);
        Assert.That(never.Post(new CallEvent.Digit('1')), Is.EqualTo(PostOutcome.Closed));
        mailbox.Close();
        await mailbox.Loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task AStepThatLetsAFailureOutIsReportedAndTheCallsNextEventsAreStillHandled()
    {
        var mailbox = new CallMailbox();
        var handled = new List<char>();
        var escaped = new List<(char Key, string Message)>();
        mailbox.Start(
            async e =>
            {
                var key = ((CallEvent.Digit)e).Key;
                await Task.Yield();
                if (key == '1')
                {
                    throw new InvalidOperationException("bad step");
                }

                handled.Add(key);
            },
            (e, failure) => escaped.Add((((CallEvent.Digit)e).Key, failure.Message)));

        Assert.That(mailbox.Post(new CallEvent.Digit('1'), inline: true), Is.EqualTo(PostOutcome.Posted));
        Assert.That(mailbox.Post(new CallEvent.Digit('2')), Is.EqualTo(PostOutcome.Posted));
        mailbox.Close();
        await mailbox.Loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(escaped, Is.EqualTo(new[] { ('1', "bad step") }));
        Assert.That(handled, Is.EqualTo(new[] { '2' }));
        Assert.That(mailbox.Loop.IsCompletedSuccessfully, Is.True, "a shutdown waiting for the loop is not thrown at");
    }
}
