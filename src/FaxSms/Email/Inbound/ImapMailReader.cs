using System.Globalization;
using CallCenter.FaxSms.Outbox;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// Reads the <c>Mail:Imap</c> mailbox with MailKit (the shell around <see cref="InboundMailParser"/>): opens it
/// read-only, fetches every UID above the last one stored for the mailbox's UIDVALIDITY, stores each mail (and
/// its acknowledgement) with <see cref="EmailTaskRepository.StoreAsync"/>, then waits in IDLE (RFC 2177) for the
/// next one, or polls when the server has no IDLE. A lost connection is opened again after a doubling wait.
/// The password goes to the server only; no log line holds it.
/// </summary>
public sealed class ImapMailReader(
    MailOptions options,
    EmailTaskRepository tasks,
    OutboxSignal outbox,
    EmailTaskSignal offers,
    TimeProvider time,
    ILogger<ImapMailReader> logger) : BackgroundService
{
    private readonly ImapOptions _imap = options.Imap;
    private readonly InboundMailLimits _limits = options.Imap.Limits();
    private readonly RetrySchedule _backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(options.Imap.ReconnectMaxSeconds), int.MaxValue);

    /// <summary>Our own address: acknowledgements go out only when SMTP is configured, and never to ourselves.</summary>
    private readonly string? _ownAddress = options.Enabled && MailboxAddress.TryParse(options.From, out var from) ? from.Address : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var client = new ImapClient { Timeout = (int)TimeSpan.FromSeconds(_imap.TimeoutSeconds).TotalMilliseconds };
                if (_imap.AcceptAnyCertificate)
                {
                    client.ServerCertificateValidationCallback = (_, _, _, _) => true;
                }

                await client.ConnectAsync(_imap.Host, _imap.Port, Security(), stoppingToken);
                await client.AuthenticateAsync(_imap.Username, _imap.Password, stoppingToken);
                var folder = string.Equals(_imap.Mailbox, "INBOX", StringComparison.OrdinalIgnoreCase)
                    ? client.Inbox
                    : await client.GetFolderAsync(_imap.Mailbox, stoppingToken);
                await folder.OpenAsync(FolderAccess.ReadOnly, stoppingToken);
                FaxSmsLog.ImapConnected(logger, _imap.Host, _imap.Port, _imap.Mailbox, client.Capabilities.HasFlag(ImapCapabilities.Idle));
                failures = 0;
                await ReadAsync(client, folder, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (AuthenticationException)
            {
                // The server's answer and the password stay out of the log: the user and server are enough.
                FaxSmsLog.ImapAuthenticationFailed(logger, _imap.Username, _imap.Host, _imap.Port);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                FaxSmsLog.ImapFailed(logger, _imap.Host, _imap.Port, e.GetType().Name, e.Message);
            }

            failures++;
            var delay = _backoff.DelayAfter(failures, Random.Shared.NextDouble());
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private SecureSocketOptions Security() => _imap.Security switch
    {
        "tls" => SecureSocketOptions.SslOnConnect,
        "starttls" => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.None,
    };

    private async Task ReadAsync(ImapClient client, IMailFolder folder, CancellationToken cancellationToken)
    {
        // The server reports new mail (EXISTS) in the answer to whatever command is running, so mail that arrives
        // while the mailbox is being read is announced then, during the FETCH, and not again once IDLE starts.
        // Hence the handlers stay attached throughout: news heard while reading means read again before idling.
        var changed = false;
        CancellationTokenSource? idling = null;
        void Changed(object? sender, EventArgs e)
        {
            changed = true;
            idling?.Cancel();
        }

        folder.CountChanged += Changed;
        folder.UidValidityChanged += Changed;
        try
        {
            while (true)
            {
                changed = false;
                await CatchUpAsync(folder, cancellationToken);
                if (changed)
                {
                    continue;
                }

                if (client.Capabilities.HasFlag(ImapCapabilities.Idle))
                {
                    // RFC 2177: IDLE until the mailbox changes, ended and started again within IdleMinutes.
                    using var done = new CancellationTokenSource(TimeSpan.FromMinutes(_imap.IdleMinutes), time);
                    idling = done;
                    try
                    {
                        await client.IdleAsync(done.Token, cancellationToken);
                    }
                    finally
                    {
                        idling = null;
                    }
                }
                else
                {
                    await Task.Delay(TimeSpan.FromSeconds(_imap.PollSeconds), time, cancellationToken);
                    await client.NoOpAsync(cancellationToken);
                }
            }
        }
        finally
        {
            folder.CountChanged -= Changed;
            folder.UidValidityChanged -= Changed;
        }
    }

    private async Task CatchUpAsync(IMailFolder folder, CancellationToken cancellationToken)
    {
        long validity = folder.UidValidity;
        var state = await tasks.GetStateAsync(_imap.Mailbox, cancellationToken);
        long last = 0;
        if (state is { } s && s.UidValidity == validity)
        {
            last = s.LastUid;
        }
        else
        {
            if (state is { } old)
            {
                // RFC 3501 section 2.3.1.1: the old UIDs mean nothing now; read the mailbox again. Mail already
                // stored is recognised by its Message-ID and not stored twice.
                FaxSmsLog.ImapUidValidityChanged(logger, _imap.Mailbox, old.UidValidity, validity);
            }

            await tasks.ResetStateAsync(_imap.Mailbox, validity, time.GetUtcNow(), cancellationToken);
        }

        if (folder.Count == 0 || last >= uint.MaxValue)
        {
            return;
        }

        var range = new UniqueIdRange(new UniqueId((uint)(last + 1)), UniqueId.MaxValue);
        var summaries = await folder.FetchAsync(range, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, cancellationToken);

        // "n:*" names the newest mail even when its UID is below n (RFC 3501 section 6.4.8), hence the filter.
        foreach (var summary in summaries.Where(m => m.UniqueId.Id > last).OrderBy(m => m.UniqueId.Id))
        {
            var read = await FetchAsync(folder, validity, summary, cancellationToken);
            var stored = await tasks.StoreAsync(read, _ownAddress, _imap.Acknowledge, TimeSpan.FromMinutes(_imap.AcknowledgeWindowMinutes), time.GetUtcNow(), cancellationToken);
            if (stored is null)
            {
                FaxSmsLog.MailSeenBefore(logger, read.Uid, read.Mail?.MessageId ?? read.FallbackMessageId);
                continue;
            }

            FaxSmsLog.MailStored(logger, stored.Id, read.Uid, stored.Status, stored.Reason ?? "");
            if (stored.AcknowledgementId is not null)
            {
                outbox.Notify();
            }

            if (stored.Status == EmailTaskStatus.Waiting)
            {
                offers.Notify();
            }
        }
    }

    private async Task<ReadMail> FetchAsync(IMailFolder folder, long validity, IMessageSummary summary, CancellationToken cancellationToken)
    {
        var uid = (long)summary.UniqueId.Id;
        var fallback = string.Create(CultureInfo.InvariantCulture, $"uid-{validity}-{uid}.{_imap.Mailbox}@{_imap.Host}");
        if (summary.Size is { } size && size > _imap.MaxMessageBytes)
        {
            return new ReadMail(_imap.Mailbox, validity, uid, null, string.Create(CultureInfo.InvariantCulture, $"the mail is {size} bytes, over Mail:Imap:MaxMessageBytes ({_imap.MaxMessageBytes}); it was not downloaded"), fallback);
        }

        try
        {
            var mime = await folder.GetMessageAsync(summary.UniqueId, cancellationToken);
            var (mail, error) = InboundMailParser.Parse(mime, _limits, fallback);
            return new ReadMail(_imap.Mailbox, validity, uid, mail, error, fallback);
        }
        catch (ParseException e)
        {
            return new ReadMail(_imap.Mailbox, validity, uid, null, $"the mail is not MIME: {e.Message}", fallback);
        }
    }
}
