using CallCenter.FaxSms.Email;
using CallCenter.FaxSms.Sms;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Outbox;

/// <summary>
/// The outbox's one sender (a hosted service): claims due messages in batches, sends each through its
/// channel's sender with bounded concurrency, and records every outcome through the pure
/// <see cref="AttemptOutcome.Decide"/>. Only channels with a configured sender are claimed; the rest
/// wait queued. A database failure is logged and retried; nothing is dropped.
/// </summary>
/// <remarks>
/// A batch's outcomes go to <see cref="OutboxStatusWriter"/>, which commits them with the delivery reports
/// waiting; the next batch is claimed and sent meanwhile, and the worker waits for a batch's commit only
/// before handing in the next one (so at most one batch's outcomes are ever unwritten). Its messages are
/// in flight until then, which a claim does not take (see README: a crash there is the uncertain window).
/// </remarks>
public sealed class OutboxWorker(
    OutboxRepository outbox,
    OutboxStatusWriter statuses,
    SmsStore sms,
    EmailOptOuts emailOptOuts,
    IEnumerable<IMessageSender> senders,
    OutboxOptions options,
    OutboxSignal signal,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, IMessageSender> _senders = senders.ToDictionary(s => s.Channel);
    private readonly RetrySchedule _schedule = options.ToSchedule();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_senders.Count == 0)
        {
            return;
        }

        // Not before the web server listens: a gateway's delivery report for the first message would find nobody.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        FaxSmsLog.WorkerStarted(logger, string.Join(", ", _senders.Keys));
        var channels = _senders.Keys.ToList();
        var writing = Task.CompletedTask;
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                (claimed, var written) = await SendBatchAsync(channels, writing, stoppingToken);
                writing = written;
                if (claimed < options.BatchSize)
                {
                    // Nothing more due at once: this batch's outcomes are written before the worker sleeps.
                    var last = writing;
                    writing = Task.CompletedTask;
                    await last;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await WaitQuietlyAsync(writing);
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                writing = Task.CompletedTask;
                FaxSmsLog.WorkerDatabaseError(logger, e);
            }

            if (claimed < options.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(options.PollSeconds), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        await WaitQuietlyAsync(writing);
    }

    /// <summary>One claim-send-record round, waiting until its outcomes are committed; returns how many messages it claimed.</summary>
    internal async Task<int> RunBatchAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken)
    {
        var (claimed, written) = await SendBatchAsync(channels, Task.CompletedTask, cancellationToken);
        await written;
        return claimed;
    }

    private async Task WaitQuietlyAsync(Task writing)
    {
        try
        {
            await writing;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            FaxSmsLog.WorkerDatabaseError(logger, e);
        }
    }

    /// <summary>
    /// Claims and sends one batch, then hands its outcomes to the status writer once <paramref name="previous"/>
    /// (the last batch's write) is done; returns how many it claimed and the task of this batch's write.
    /// </summary>
    private async Task<(int Claimed, Task Written)> SendBatchAsync(IReadOnlyList<string> channels, Task previous, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var batch = await outbox.ClaimDueAsync(now, now - TimeSpan.FromSeconds(options.UncertainSeconds), options.BatchSize, channels, cancellationToken);
        if (batch.Count == 0)
        {
            await WaitQuietlyAsync(previous);
            return (0, Task.CompletedTask);
        }

        // Opt-outs are honoured up to the moment of sending, not only when the message was created.
        var optedOut = await sms.OptedOutAsync([.. batch.Where(m => m.Channel == MessageChannel.Sms && MessageKind.HonoursOptOut(m.Kind)).Select(m => m.Recipient)], cancellationToken);
        var emailOptedOut = await emailOptOuts.OptedOutAsync([.. batch.Where(m => m.Channel == MessageChannel.Email && MessageKind.HonoursEmailOptOut(m.Kind)).Select(m => m.Recipient)], cancellationToken);
        var outcomes = new AttemptOutcome[batch.Count];

        // Sends are not cancelled by shutdown once started: an answer that is lost would leave the message uncertain.
        await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (i, _) =>
        {
            var message = batch[i];
            var result = MessageKind.HonoursOptOut(message.Kind) && message.Channel == MessageChannel.Sms && optedOut.Contains(message.Recipient)
                ? new SendResult.Permanent($"{message.Recipient} opted out of SMS before it was sent")
                : MessageKind.HonoursEmailOptOut(message.Kind) && message.Channel == MessageChannel.Email && emailOptedOut.Contains(EmailOptOut.Address(message.Recipient))
                ? new SendResult.Permanent($"{EmailOptOut.Address(message.Recipient)} opted out of e-mail broadcasts before it was sent")
                : await SendOneAsync(message);
            outcomes[i] = AttemptOutcome.Decide(message, result, _schedule, time.GetUtcNow(), Random.Shared.NextDouble());
        });

        // A failed write of the last batch is logged, and this batch's outcomes are handed in all the same.
        await WaitQuietlyAsync(previous);
        var written = statuses.CompleteAsync(outcomes, CancellationToken.None);
        for (var i = 0; i < outcomes.Length; i++)
        {
            switch (outcomes[i])
            {
                case AttemptOutcome.Retry retry:
                    FaxSmsLog.AttemptFailed(logger, retry.Id, batch[i].Channel, batch[i].Attempts, retry.NextAttemptAt, retry.Reason);
                    break;
                case AttemptOutcome.Failed failed:
                    FaxSmsLog.MessageFailed(logger, failed.Id, batch[i].Channel, failed.Reason);
                    break;
            }
        }

        return (batch.Count, written);
    }

    /// <summary>
    /// A sender returns the gateway's failures; anything it throws is a bug in it, which must neither
    /// leave the message claimed nor stop the host: the attempt counts as failed and is retried.
    /// Only the exception's type is recorded (a message could quote a URL that holds a password).
    /// </summary>
    private async Task<SendResult> SendOneAsync(OutboundMessage message)
    {
        try
        {
            return await _senders[message.Channel].SendAsync(message, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            FaxSmsLog.SenderThrew(logger, message.Id, message.Channel, e.GetType().FullName ?? e.GetType().Name);
            return new SendResult.Transient($"the {message.Channel} sender failed unexpectedly ({e.GetType().Name})");
        }
    }
}
