using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// Where a received fax goes: a file name under <c>Fax:Directory</c> for spandsp to write as the pages
/// come, a row when the call is answered, and at the end the pages counted from the file (what is
/// really kept, even of a fax cut short), a PDF of them (tiff2pdf), and the row completed with the T.30
/// result. The caller (the fax call's room in the host) runs these off the call's loop. When the PDF
/// cannot be made (tiff2pdf fails or is missing), the fax is kept and mailed all the same, with the TIFF
/// received attached and the reason in the mail and the row. <paramref name="toPdf"/> is tiff2pdf
/// (<see cref="FaxDocuments.TiffToPdfAsync"/>) unless a test gives another.
/// </summary>
public sealed class FaxInbox(FaxRepository repository, FaxOptions options, Outbox.OutboxSignal outboxSignal, TimeProvider time, ILogger<FaxInbox> logger, Func<string, string, CancellationToken, Task>? toPdf = null)
{
    private readonly Func<string, string, CancellationToken, Task> _toPdf = toPdf
        ?? ((tiff, pdf, cancellationToken) => FaxDocuments.TiffToPdfAsync(tiff, pdf, options.ToRenderLimits(), cancellationToken));

    /// <summary>A new inbound fax's id and the TIFF spandsp writes its pages to.</summary>
    public (string Id, string TiffPath) Allocate()
    {
        var id = FaxIds.New(time);
        var directory = Path.GetFullPath(Path.Combine(options.Directory, "inbound"));
        Directory.CreateDirectory(directory);
        return (id, Path.Combine(directory, id + ".tif"));
    }

    /// <summary>
    /// The fax call was answered: its row, "receiving". <paramref name="callerVerified"/> says whether the
    /// caller's number was vouched for (a trusted peer); only a number (<see cref="FaxSender.Clean"/>) is kept.
    /// </summary>
    public Task StartAsync(string id, string callId, string caller, bool callerVerified, string dialed, string tiffPath, CancellationToken cancellationToken) =>
        repository.StartInboundAsync(id, callId, FaxSender.Clean(caller), callerVerified, dialed, tiffPath, time.GetUtcNow(), cancellationToken);

    /// <summary>Stores what arrived; returns the row's status ("received", "partial" or "failed").</summary>
    public async Task<string> FinishAsync(string id, string callId, string caller, bool callerVerified, string dialed, string tiffPath, FaxResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        caller = FaxSender.Clean(caller);
        var pages = TiffPages.Count(tiffPath);
        string? pdf = null;
        string? noPdf = null;
        if (pages > 0)
        {
            try
            {
                pdf = Path.ChangeExtension(tiffPath, ".pdf");
                await _toPdf(tiffPath, pdf, cancellationToken);
            }
            catch (Exception e) when (e is FaxDocumentException or System.ComponentModel.Win32Exception or IOException)
            {
                // The TIFF stays, and is what gets mailed: the pages are kept even when the PDF cannot be made.
                FaxSmsLog.FaxPdfFailed(logger, id, e.Message);
                pdf = null;
                noPdf = e.Message;
            }
        }

        var status = FaxStatus.OfInbound(result, pages);
        var text = noPdf is null ? result.Summary : $"{result.Summary}; no PDF could be made ({noPdf}), the TIFF was mailed instead";
        Outbox.OutboundMessage? mail = null;
        if (options.MailTo.Length > 0 && pages > 0)
        {
            var attachment = pdf is not null
                ? new Outbox.MessageAttachment($"fax-{FaxSender.ForFileName(caller)}-{id[4..]}.pdf", "application/pdf", await File.ReadAllBytesAsync(pdf, cancellationToken))
                : new Outbox.MessageAttachment($"fax-{FaxSender.ForFileName(caller)}-{id[4..]}.tif", "image/tiff", await File.ReadAllBytesAsync(tiffPath, cancellationToken));
            mail = Mail(id, caller, callerVerified, dialed, status, pages, result, attachment, noPdf);
        }

        await repository.FinishAsync(
            new FaxFinish(id, FaxStatus.Inbound, status, caller, dialed, callId, pages, result.BitRate, result.Ecm, result.Code, text, pages > 0 ? tiffPath : null, pdf, null, callerVerified),
            time.GetUtcNow(),
            cancellationToken,
            mail);
        if (mail is not null)
        {
            outboxSignal.Notify();
        }
        FaxSmsLog.FaxReceived(logger, id, FaxSender.Shown(caller, callerVerified), status, pages, result.Summary);
        return status;
    }

    /// <summary>
    /// Finishes the receptions a stop cut short (rows still <c>receiving</c> that were answered longer ago than
    /// any fax call may last, so no node is still on the call): the pages spandsp had written are counted,
    /// made a PDF and mailed like any other, and the row says the reception was interrupted. Never a lost
    /// inbound page. A row that cannot be finished now is logged and tried again next time. Returns how many were finished.
    /// </summary>
    public async Task<int> RecoverInterruptedAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - TimeSpan.FromSeconds(options.MaxCallSeconds) - TimeSpan.FromMinutes(1);
        var finished = 0;
        foreach (var fax in await repository.ListInterruptedReceptionsAsync(before, cancellationToken))
        {
            try
            {
                var tiff = fax.TiffPath ?? Path.Combine(Path.GetFullPath(Path.Combine(options.Directory, "inbound")), fax.Id + ".tif");
                var interrupted = new FaxResult(false, 0, fax.BitRate, fax.Ecm, -1, "the reception was interrupted: the platform stopped during the call");
                await FinishAsync(fax.Id, fax.CallId ?? "", fax.Remote, fax.RemoteVerified, fax.LocalNumber, tiff, interrupted, cancellationToken);
                FaxSmsLog.FaxReceptionRecovered(logger, fax.Id, TiffPages.Count(tiff));
                finished++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                FaxSmsLog.FaxReceptionNotRecovered(logger, e, fax.Id);
            }
        }

        return finished;
    }

    /// <summary>
    /// The e-mail that carries a received fax to <c>Fax:MailTo</c>: who sent it, its pages and result, the
    /// PDF attached (or the TIFF received, with the reason no PDF could be made). A sender not verified is
    /// said to be so, in the subject and the body. The number it came in on is the one dialled: a fax machine
    /// that called the hotline (its CNG tone heard in the IVR) is said to have, not to have called the fax number.
    /// </summary>
    private Outbox.OutboundMessage Mail(string id, string caller, bool callerVerified, string dialed, string status, int pages, FaxResult result, Outbox.MessageAttachment attachment, string? noPdf)
    {
        var from = FaxSender.Shown(caller, callerVerified);
        var on = dialed.Length == 0 || dialed == options.Number
            ? options.Number
            : options.Number.Length == 0
                ? dialed
                : $"{dialed}, not the fax number {options.Number}: the caller's fax tone was heard there and the fax taken";
        var subject = $"传真 Fax from {from}: {pages} page{(pages == 1 ? "" : "s")}{(status == FaxStatus.Received ? "" : " (" + status + ")")}";
        var attached = noPdf is null
            ? "The pages are attached as a PDF."
            : $"No PDF could be made of the pages ({noPdf}): they are attached as the TIFF received, which any fax or image viewer opens.";
        var body = $"""
            A fax was received on {on}.

            From: {from}
            Pages: {pages}
            Status: {status} ({result.Summary})
            Fax id: {id}

            {attached}
            """;
        var recipient = Outbox.Recipients.Email(options.MailTo).Normalized!;
        return new Outbox.OutboundMessage(
            Outbox.MessageRequest.NewId(), Outbox.MessageChannel.Email, recipient, subject, body, Outbox.MessageKind.Ordinary, 0,
            Attachments: [attachment]);
    }
}
