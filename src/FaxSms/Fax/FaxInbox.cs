using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// Where a received fax goes: a file name under <c>Fax:Directory</c> for spandsp to write as the pages
/// come, a row when the call is answered, and at the end the pages counted from the file (what is
/// really kept, even of a fax cut short), a PDF of them (tiff2pdf), and the row completed with the T.30
/// result. The caller (the fax call's room in the host) runs these off the call's loop.
/// </summary>
public sealed class FaxInbox(FaxRepository repository, FaxOptions options, Outbox.OutboxSignal outboxSignal, TimeProvider time, ILogger<FaxInbox> logger)
{
    /// <summary>A new inbound fax's id and the TIFF spandsp writes its pages to.</summary>
    public (string Id, string TiffPath) Allocate()
    {
        var id = FaxIds.New(time);
        var directory = Path.GetFullPath(Path.Combine(options.Directory, "inbound"));
        Directory.CreateDirectory(directory);
        return (id, Path.Combine(directory, id + ".tif"));
    }

    public Task StartAsync(string id, string callId, string caller, string dialed, string tiffPath, CancellationToken cancellationToken) =>
        repository.StartInboundAsync(id, callId, caller, dialed, tiffPath, time.GetUtcNow(), cancellationToken);

    /// <summary>Stores what arrived; returns the row's status ("received", "partial" or "failed").</summary>
    public async Task<string> FinishAsync(string id, string callId, string caller, string dialed, string tiffPath, FaxResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var pages = TiffPages.Count(tiffPath);
        string? pdf = null;
        if (pages > 0)
        {
            try
            {
                pdf = Path.ChangeExtension(tiffPath, ".pdf");
                await FaxDocuments.TiffToPdfAsync(tiffPath, pdf, cancellationToken);
            }
            catch (FaxDocumentException e)
            {
                // The TIFF stays: the pages are kept even when the PDF cannot be made.
                FaxSmsLog.FaxPdfFailed(logger, id, e.Message);
                pdf = null;
            }
        }

        var status = FaxStatus.OfInbound(result, pages);
        var mail = options.MailTo.Length > 0 && pdf is not null ? Mail(id, caller, status, pages, result, await File.ReadAllBytesAsync(pdf, cancellationToken)) : null;
        await repository.FinishAsync(
            new FaxFinish(id, FaxStatus.Inbound, status, caller, dialed, callId, pages, result.BitRate, result.Ecm, result.Code, result.Summary, pages > 0 ? tiffPath : null, pdf, null),
            time.GetUtcNow(),
            cancellationToken,
            mail);
        if (mail is not null)
        {
            outboxSignal.Notify();
        }
        FaxSmsLog.FaxReceived(logger, id, caller, status, pages, result.Summary);
        return status;
    }

    /// <summary>The e-mail that carries a received fax to <c>Fax:MailTo</c>: who sent it, its pages and result, the PDF attached.</summary>
    private Outbox.OutboundMessage Mail(string id, string caller, string status, int pages, FaxResult result, byte[] pdf)
    {
        var from = caller.Length > 0 ? caller : "unknown";
        var subject = $"传真 Fax from {from}: {pages} page{(pages == 1 ? "" : "s")}{(status == FaxStatus.Received ? "" : " (" + status + ")")}";
        var body = $"""
            A fax was received on {options.Number}.

            From: {from}
            Pages: {pages}
            Status: {status} ({result.Summary})
            Fax id: {id}

            The pages are attached as a PDF.
            """;
        var recipient = Outbox.Recipients.Email(options.MailTo).Normalized!;
        return new Outbox.OutboundMessage(
            Outbox.MessageRequest.NewId(), Outbox.MessageChannel.Email, recipient, subject, body, Outbox.MessageKind.Ordinary, 0,
            Attachments: [new Outbox.MessageAttachment($"fax-{from}-{id[4..]}.pdf", "application/pdf", pdf)]);
    }
}
