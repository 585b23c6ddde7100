using CallCenter.Contracts.BackOffice;
using CallCenter.Contracts.Documents;
using CallCenter.Data;
using CallCenter.FaxSms.Email;
using CallCenter.FaxSms.Fax;
using CallCenter.FaxSms.Outbox;
using CallCenter.FaxSms.Sms;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// The documents the hotline asks for (<see cref="IDocumentRequests"/>): finds the recipient (the
/// believed calling number or the account's phone on file for SMS; the address on file for
/// e-mail; the keyed number for fax, checked as <c>POST /api/faxes</c> checks it), builds the
/// document (the research note from its file, or its translation beside it; the statement from the back
/// office with the owner's name from the client directory; worded in the client's recorded language when the
/// directory knows the owner, else the one chosen on the call, and rendered to PDF in it)
/// and queues it: an SMS or e-mail is an outbox row written in one transaction with its audit row
/// (<c>document_requests</c>: call, recording, channel, masked recipient); a fax is a <c>faxes</c> row
/// "rendering" written by <see cref="FaxOutbox.QueueToRenderAsync"/> in one transaction with its audit row, and the fax
/// worker renders it to TIFF-F afterwards: the caller hears "queued" without waiting for ghostscript, which runs at the
/// lowest priority and takes seconds on a busy machine. A step's key seen before answers the first request's id and
/// queues nothing.
/// </summary>
public sealed class DocumentDesk(
    DbConnectionFactory factory,
    DocumentOptions options,
    SmsOptions sms,
    MailOptions mail,
    FaxOptions fax,
    FaxOutbox faxes,
    OutboxSignal signal,
    DocumentPdf pdfWriter,
    TimeProvider time,
    ILogger<DocumentDesk> logger,
    IBackOffice? backOffice = null,
    IClientHoldings? holdings = null) : IDocumentRequests
{
    public DocumentChannels Channels =>
        (sms.Provider.Length > 0 ? DocumentChannels.Sms : DocumentChannels.None)
        | (mail.Enabled ? DocumentChannels.Email : DocumentChannels.None)
        | (fax.Number.Length > 0 ? DocumentChannels.Fax : DocumentChannels.None);

    public async Task<DocumentResult> RequestAsync(DocumentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wanted = request.Channel switch
        {
            DocumentChannel.Sms => DocumentChannels.Sms,
            DocumentChannel.Email => DocumentChannels.Email,
            _ => DocumentChannels.Fax,
        };
        if (!Channels.HasFlag(wanted) || (request.Document == DocumentKind.Statement && (backOffice is null || holdings is null)))
        {
            return new DocumentResult(DocumentOutcome.ChannelUnavailable);
        }

        if (request.Document == DocumentKind.Statement && request.VerifiedAccount is null)
        {
            return new DocumentResult(DocumentOutcome.NotVerified);
        }

        if (await FindAsync(request.Context.IdempotencyKey, cancellationToken) is { } earlier)
        {
            return new DocumentResult(DocumentOutcome.Queued, earlier);
        }

        // Whose contacts: the account's owner for a statement, the believed caller for a note.
        var owner = request.Document == DocumentKind.Statement
            ? await holdings!.PhoneOfAccountAsync(request.VerifiedAccount!, cancellationToken)
            : request.CallerNumber;

        // Worded in the client's recorded language when the directory knows them, else the one chosen on the call.
        if (owner is not null && await LanguageOnFileAsync(owner, cancellationToken) is { } recorded)
        {
            request = request with { Language = recorded };
        }

        // A fax to a keyed number takes one of the caller's daily allowance as it is checked (under one lock), and gives it
        // back when nothing is queued: calls from one number at once cannot all pass the check before any is counted.
        var keyed = request.Channel == DocumentChannel.Fax && !request.FaxOnFile;
        DateOnly? reserved = null;
        if (keyed)
        {
            var (refusal, day) = ReserveKeyedFax(request.CallerNumber);
            if (refusal is not null)
            {
                DocumentLog.KeyedFaxRefused(logger, request.Context.CallId, refusal);
                return new DocumentResult(DocumentOutcome.FaxNumberRefused);
            }

            reserved = day;
        }

        try
        {
            string? recipient = request.Channel switch
            {
                DocumentChannel.Sms => Recipients.Phone(owner).Normalized,
                DocumentChannel.Email => owner is null ? null : Recipients.Email(await EmailOnFileAsync(owner, cancellationToken)).Normalized,
                _ when request.FaxOnFile => await FaxOnFileAsync(owner, cancellationToken),
                _ => faxes.Check(request.FaxNumber) is null ? request.FaxNumber : null,
            };
            if (recipient is null)
            {
                DocumentLog.Refused(logger, request.Context.CallId, request.Document.ToString(), request.Channel.ToString());
                return new DocumentResult(keyed ? DocumentOutcome.FaxNumberRefused : DocumentOutcome.NoContact);
            }

            var (layout, smsText) = await ContentAsync(request, owner, cancellationToken);
            var id = request.Channel == DocumentChannel.Fax
                ? await QueueFaxAsync(request, recipient, pdfWriter.Render(layout), cancellationToken)
                : await QueueMessageAsync(request, recipient, layout.Title, smsText, () => pdfWriter.Render(layout), cancellationToken);
            if (id is null)
            {
                // The fax number was checked above; refused now, the configuration changed in between (the refusal is kept as a row).
                DocumentLog.Refused(logger, request.Context.CallId, request.Document.ToString(), request.Channel.ToString());
                return new DocumentResult(request.FaxOnFile ? DocumentOutcome.NoContact : DocumentOutcome.FaxNumberRefused);
            }

            reserved = null;
            DocumentLog.Queued(logger, request.Context.CallId, request.Document.ToString(), request.Channel.ToString(), id);
            return new DocumentResult(DocumentOutcome.Queued, id);
        }
        finally
        {
            if (reserved is { } day)
            {
                ReleaseKeyedFax(request.CallerNumber!, day);
            }
        }
    }

    // Faxes to keyed numbers per believed caller today (the documents' time zone), queued or being queued. In memory: a
    // restart forgets the day's counts, which lets a caller at most one more day's worth; only under _keyedGate.
    private readonly Dictionary<string, (DateOnly Day, int Count)> _keyedFaxes = new(StringComparer.Ordinal);
    private readonly Lock _keyedGate = new();

    /// <summary>
    /// Why a fax to a number the caller keyed in is refused, or null and one of the caller's faxes for the day taken (the
    /// day returned, to give it back with <see cref="ReleaseKeyedFax"/> if nothing is queued): only a caller whose number a
    /// trusted peer vouched for may ask (an unknown caller could make the platform fax any number), and at most
    /// <see cref="DocumentOptions.KeyedFaxesPerCallerPerDay"/> a day. The check and the count are one step under the lock.
    /// </summary>
    private (string? Refusal, DateOnly Day) ReserveKeyedFax(string? caller)
    {
        if (caller is null)
        {
            return ("the caller's number is not verified, so only a fax number on file may be used", default);
        }

        lock (_keyedGate)
        {
            var (today, used) = KeyedToday(caller);
            if (used >= options.KeyedFaxesPerCallerPerDay)
            {
                return ($"{DocumentTexts.MaskRecipient(caller)} has had {used} faxes to keyed numbers today (Documents:KeyedFaxesPerCallerPerDay)", today);
            }

            _keyedFaxes[caller] = (today, used + 1);
            return (null, today);
        }
    }

    /// <summary>Gives back a fax taken by <see cref="ReserveKeyedFax"/> when nothing was queued (if the day has turned since, there is nothing to give back).</summary>
    private void ReleaseKeyedFax(string caller, DateOnly day)
    {
        lock (_keyedGate)
        {
            if (_keyedFaxes.TryGetValue(caller, out var entry) && entry.Day == day && entry.Count > 0)
            {
                _keyedFaxes[caller] = (day, entry.Count - 1);
            }
        }
    }

    // Today (the documents' time zone) and the caller's keyed faxes so far today; under _keyedGate.
    private (DateOnly Today, int Count) KeyedToday(string caller)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone)).DateTime);
        return (today, _keyedFaxes.TryGetValue(caller, out var entry) && entry.Day == today ? entry.Count : 0);
    }

    // The PDF in the request's language (the client's recorded one, else the one chosen on this call, as the SMS and the e-mail are);
    // in English when the platform has no Chinese font (Helvetica would print the labels as '?').
    private async Task<(DocumentLayout Layout, string Sms)> ContentAsync(DocumentRequest request, string? owner, CancellationToken cancellationToken)
    {
        var labels = DocumentLabels.For(pdfWriter.DrawsChinese ? request.Language : "en");
        if (request.Document == DocumentKind.ResearchNote)
        {
            var spoken = DocumentLabels.For(request.Language).Language;
            var note = await NoteAsync(spoken, cancellationToken);
            var printed = labels.Language == spoken ? note : await NoteAsync(labels.Language, cancellationToken);
            return (DocumentTexts.Layout(printed, labels), DocumentTexts.Sms(note, request.Language));
        }

        var account = request.VerifiedAccount!;
        var funds = await backOffice!.GetFundsAsync(account, cancellationToken)
            ?? throw new InvalidOperationException("The back office has no funds for the verified account.");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        var statement = new Statement(
            account,
            DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime),
            funds,
            await backOffice.GetPositionsAsync(account, cancellationToken),
            await backOffice.GetTodaysOrdersAsync(account, cancellationToken),
            await backOffice.GetTodaysTradesAsync(account, cancellationToken),
            owner is null ? null : await ClientNameAsync(owner, cancellationToken));
        return (DocumentTexts.Layout(statement, labels), DocumentTexts.Sms(statement, request.Language));
    }

    private async Task<string> QueueMessageAsync(DocumentRequest request, string recipient, string title, string smsText, Func<byte[]> pdf, CancellationToken cancellationToken)
    {
        var email = request.Channel == DocumentChannel.Email;
        var message = new OutboundMessage(
            MessageRequest.NewId(),
            email ? MessageChannel.Email : MessageChannel.Sms,
            recipient,
            email ? DocumentTexts.Subject(request.Document, title, request.Language) : null,
            email ? DocumentTexts.EmailBody(request.Document, request.Language) : smsText,
            MessageKind.Requested,
            0,
            Attachments: email ? [new MessageAttachment(FileName(request.Document), "application/pdf", pdf())] : null);
        var now = time.GetUtcNow();
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await OutboxRepository.EnqueueAsync(connection, transaction, message, now, cancellationToken);
        await AuditAsync(connection, transaction, message.Id, request, recipient, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return message.Id;
    }

    // The fax row ("rendering": the worker makes its TIFF-F) and its audit row in one transaction; null when refused.
    private async Task<string?> QueueFaxAsync(DocumentRequest request, string recipient, byte[] pdf, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(pdf, writable: false);
        var now = time.GetUtcNow();
        var (id, error) = await faxes.QueueToRenderAsync(
            recipient,
            stream,
            (connection, transaction, faxId) => AuditAsync(connection, transaction, faxId, request, recipient, now, cancellationToken),
            cancellationToken);
        return error is null ? id : null;
    }

    private static string FileName(DocumentKind kind) => kind == DocumentKind.Statement ? "statement.pdf" : "research-note.pdf";

    private static Task AuditAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string id, DocumentRequest request, string recipient, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO document_requests (id, request_key, call_id, recording, document, channel, recipient_masked, account_masked, created_at_ms)
            VALUES (@id, @key, @callId, @recording, @document, @channel, @recipient, @account, @at)
            """,
            new
            {
                id,
                key = request.Context.IdempotencyKey,
                callId = request.Context.CallId,
                recording = request.Context.Recording,
                document = request.Document == DocumentKind.Statement ? "statement" : "research-note",
                channel = request.Channel.ToString().ToLowerInvariant(),
                recipient = DocumentTexts.MaskRecipient(recipient),
                account = request.VerifiedAccount is { } a && request.Document == DocumentKind.Statement ? DocumentTexts.MaskAccount(a) : null,
                at = now.ToUnixTimeMilliseconds(),
            },
            transaction,
            cancellationToken: cancellationToken));

    private async Task<string?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT id FROM document_requests WHERE request_key = @key", new { key }, cancellationToken: cancellationToken));
    }

    private async Task<ResearchNote> NoteAsync(string language, CancellationToken cancellationToken) =>
        ResearchNote.Parse(await File.ReadAllTextAsync(options.ResearchNoteFor(language), cancellationToken), options.ResearchNoteUrl);

    private async Task<string?> LanguageOnFileAsync(string phone, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var language = await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT language FROM clients WHERE phone = @phone", new { phone }, cancellationToken: cancellationToken));
        return language is "zh" or "en" ? language : null;
    }

    private async Task<string?> ClientNameAsync(string phone, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT name FROM clients WHERE phone = @phone", new { phone }, cancellationToken: cancellationToken));
    }

    public async Task<bool> HasFaxOnFileAsync(DocumentKind document, string? callerNumber, string? verifiedAccount, CancellationToken cancellationToken)
    {
        if (!Channels.HasFlag(DocumentChannels.Fax))
        {
            return false;
        }

        var owner = document == DocumentKind.Statement
            ? verifiedAccount is null || holdings is null ? null : await holdings.PhoneOfAccountAsync(verifiedAccount, cancellationToken)
            : callerNumber;
        return await FaxOnFileAsync(owner, cancellationToken) is not null;
    }

    /// <summary>The owner's fax number on file (<c>clients.fax</c>), only when this platform can fax it (as a keyed one is checked).</summary>
    private async Task<string?> FaxOnFileAsync(string? owner, CancellationToken cancellationToken)
    {
        if (owner is null)
        {
            return null;
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        var onFile = await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT fax FROM clients WHERE phone = @owner", new { owner }, cancellationToken: cancellationToken));
        return onFile is not null && faxes.Check(onFile) is null ? onFile : null;
    }

    private async Task<string?> EmailOnFileAsync(string phone, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT email FROM clients WHERE phone = @phone", new { phone }, cancellationToken: cancellationToken));
    }
}
