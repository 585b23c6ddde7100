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
public sealed class OutboxWorker(
    OutboxRepository outbox,
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
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await RunBatchAsync(channels, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
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
    }

    /// <summary>One claim-send-record round; returns how many messages it claimed.</summary>
    internal async Task<int> RunBatchAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var batch = await outbox.ClaimDueAsync(now, now - TimeSpan.FromSeconds(options.UncertainSeconds), options.BatchSize, channels, cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
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

        await outbox.CompleteAsync(outcomes, CancellationToken.None);
        foreach (var outcome in outcomes)
        {
            var message = batch.First(m => m.Id == outcome.Id);
            switch (outcome)
            {
                case AttemptOutcome.Retry retry:
                    FaxSmsLog.AttemptFailed(logger, retry.Id, message.Channel, message.Attempts, retry.NextAttemptAt, retry.Reason);
                    break;
                case AttemptOutcome.Failed failed:
                    FaxSmsLog.MessageFailed(logger, failed.Id, message.Channel, failed.Reason);
                    break;
            }
        }

        return batch.Count;
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
