using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// Where a received fax goes: a file name under <c>Fax:Directory</c> for spandsp to write as the pages
/// come, a row when the call is answered, and at the end the pages counted from the file (what is
/// really kept, even of a fax cut short), a PDF of them (tiff2pdf), and the row completed with the T.30
/// result. The caller (the fax call's room in the host) runs these off the call's loop.
/// </summary>
public sealed class FaxInbox(FaxRepository repository, FaxOptions options, TimeProvider time, ILogger<FaxInbox> logger)
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
        await repository.FinishAsync(
            new FaxFinish(id, FaxStatus.Inbound, status, caller, dialed, callId, pages, result.BitRate, result.Ecm, result.Code, result.Text, pages > 0 ? tiffPath : null, pdf, null),
            time.GetUtcNow(),
            cancellationToken);
        FaxSmsLog.FaxReceived(logger, id, caller, status, pages, result.Text);
        return status;
    }
}
