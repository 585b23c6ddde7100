namespace CallCenter.FaxSms.Fax;

/// <summary>
/// Takes a document to fax: checks where it goes (<see cref="FaxDestination"/>, a telephone number
/// with the host's trunk and dial plan through <see cref="IFaxNumbers"/>), keeps the PDF,
/// renders it to TIFF-F at <c>Fax:Resolution</c> before anything is queued (a document that cannot
/// be rendered is refused at once with the reason, never queued to fail), and writes the row the
/// worker (<see cref="FaxOutboxWorker"/>) sends. A refused request leaves a row too
/// (<see cref="FaxStatus.Refused"/>, with the reason and what it was to go to; the document is not kept),
/// so every request to fax can be accounted for. The files written for a request that is not queued (refused,
/// the client gone mid-upload or mid-render, no ghostscript on the host) are always deleted: no document
/// without a row. <paramref name="render"/> is ghostscript (<see cref="FaxDocuments.PdfToTiffAsync"/>) unless a test gives another.
/// </summary>
public sealed class FaxOutbox(
    FaxRepository repository,
    FaxOptions options,
    FaxOutboxSignal signal,
    IFaxNumbers numbers,
    TimeProvider time,
    Func<string, string, FaxResolution, CancellationToken, Task<int>>? render = null)
{
    private readonly Func<string, string, FaxResolution, CancellationToken, Task<int>> _render = render
        ?? ((pdf, tiff, resolution, cancellationToken) => FaxDocuments.PdfToTiffAsync(pdf, tiff, resolution, options.ToRenderLimits(), cancellationToken));

    /// <summary>The reason <paramref name="to"/> cannot be faxed to, or null when it can.</summary>
    public string? Check(string? to) => FaxDestination.Check(to, options.Number, options.ToSipHosts(), numbers);

    /// <summary>
    /// The queued fax's id and its pages; or, refused, the id of the row that records the refusal and the
    /// reason (<c>Error</c> is null exactly when the fax was queued).
    /// </summary>
    /// <exception cref="FaxUnavailableException">The document cannot be rendered on this host (ghostscript or prlimit is not installed): kept as refused, with the reason.</exception>
    public async Task<(string? Id, int Pages, string? Error)> EnqueueAsync(string? to, Stream pdf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var id = FaxIds.New(time);
        if (Check(to) is { } bad)
        {
            return (await RefuseAsync(id, to, bad, cancellationToken), 0, bad);
        }

        var directory = Path.GetFullPath(Path.Combine(options.Directory, "outbound"));
        Directory.CreateDirectory(directory);
        var pdfPath = Path.Combine(directory, id + ".pdf");
        var tiffPath = Path.Combine(directory, id + ".tif");
        var queued = false;
        try
        {
            await using (var file = File.Create(pdfPath))
            {
                await pdf.CopyToAsync(file, cancellationToken);
            }

            var pages = await _render(pdfPath, tiffPath, options.ToResolution(), cancellationToken);
            await repository.EnqueueAsync(id, to!, options.Number, pdfPath, tiffPath, pages, time.GetUtcNow(), cancellationToken);
            queued = true;
            signal.Notify();
            return (id, pages, null);
        }
        catch (FaxDocumentException e)
        {
            Delete(pdfPath, tiffPath);
            return (await RefuseAsync(id, to, e.Message, cancellationToken), 0, e.Message);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // ghostscript or prlimit could not be started (not installed): the host's fault, not the document's.
            Delete(pdfPath, tiffPath);
            var reason = $"faxes cannot be rendered on this host: ghostscript (gs) under prlimit could not be started ({e.Message})";
            throw new FaxUnavailableException(await RefuseAsync(id, to, reason, CancellationToken.None), reason, e);
        }
        finally
        {
            // A client gone mid-upload or mid-render (OperationCanceledException), or any other failure: no file without a row.
            if (!queued)
            {
                Delete(pdfPath, tiffPath);
            }
        }
    }

    private static void Delete(params string[] paths)
    {
        foreach (var path in paths)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Still open by a render being torn down: the next request does not depend on it.
            }
        }
    }

    // What it was to go to, as given (cut short: a refused "number" may be anything a client sent).
    private async Task<string> RefuseAsync(string id, string? to, string reason, CancellationToken cancellationToken)
    {
        var given = to ?? "";
        await repository.RefuseAsync(id, given.Length > 200 ? given[..200] : given, options.Number, reason, time.GetUtcNow(), cancellationToken);
        return id;
    }
}

/// <summary>A fax cannot be taken on this host now (no ghostscript): <see cref="Id"/> is the row that keeps the refusal and the reason.</summary>
public sealed class FaxUnavailableException(string id, string message, Exception inner) : Exception(message, inner)
{
    public string Id { get; } = id;
}

/// <summary>Wakes the fax worker when a fax is queued (instead of its next poll).</summary>
public sealed class FaxOutboxSignal : WakeSignal;
