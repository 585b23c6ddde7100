namespace CallCenter.FaxSms.Fax;

/// <summary>
/// Takes a document to fax: checks where it goes (<see cref="FaxDestination"/>, a telephone number
/// with the host's trunk and dial plan through <see cref="IFaxNumbers"/>), keeps the PDF,
/// renders it to TIFF-F at <c>Fax:Resolution</c> before anything is queued (a document that cannot
/// be rendered is refused at once with the reason, never queued to fail), and writes the row the
/// worker (<see cref="FaxOutboxWorker"/>) sends.
/// </summary>
public sealed class FaxOutbox(FaxRepository repository, FaxOptions options, FaxOutboxSignal signal, IFaxNumbers numbers, TimeProvider time)
{
    /// <summary>The reason <paramref name="to"/> cannot be faxed to, or null when it can.</summary>
    public string? Check(string? to) => FaxDestination.Check(to, options.Number, numbers);

    /// <summary>The queued fax's id and its pages; or the reason it was refused.</summary>
    public async Task<(string? Id, int Pages, string? Error)> EnqueueAsync(string? to, Stream pdf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        if (Check(to) is { } bad)
        {
            return (null, 0, bad);
        }

        var id = FaxIds.New(time);
        var directory = Path.GetFullPath(Path.Combine(options.Directory, "outbound"));
        Directory.CreateDirectory(directory);
        var pdfPath = Path.Combine(directory, id + ".pdf");
        var tiffPath = Path.Combine(directory, id + ".tif");
        try
        {
            await using (var file = File.Create(pdfPath))
            {
                await pdf.CopyToAsync(file, cancellationToken);
            }

            var pages = await FaxDocuments.PdfToTiffAsync(pdfPath, tiffPath, options.ToResolution(), cancellationToken);
            await repository.EnqueueAsync(id, to!, options.Number, pdfPath, tiffPath, pages, time.GetUtcNow(), cancellationToken);
            signal.Notify();
            return (id, pages, null);
        }
        catch (FaxDocumentException e)
        {
            File.Delete(pdfPath);
            File.Delete(tiffPath);
            return (null, 0, e.Message);
        }
    }
}

/// <summary>Wakes the fax worker when a fax is queued (instead of its next poll).</summary>
public sealed class FaxOutboxSignal : WakeSignal;
