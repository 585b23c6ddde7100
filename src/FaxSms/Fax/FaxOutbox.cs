namespace CallCenter.FaxSms.Fax;

/// <summary>
/// Takes a document to fax: checks where it goes (<see cref="FaxDestination"/>, a telephone number
/// with the host's trunk and dial plan through <see cref="IFaxNumbers"/>), keeps the PDF, and writes the row
/// the worker (<see cref="FaxOutboxWorker"/>) sends. Two ways in:
/// <see cref="EnqueueAsync"/> (<c>POST /api/faxes</c>) renders the PDF to TIFF-F at <c>Fax:Resolution</c> before
/// anything is queued (a client's document that cannot be rendered is refused at once with the reason, never queued
/// to fail, and the client gets its pages); <see cref="QueueToRenderAsync"/> (a document asked for on a call, where a
/// caller must not wait in silence for a render at the lowest priority) writes the row "rendering" and returns, and the
/// worker renders it later through <see cref="RenderClaimedAsync"/> ("queued" with its pages, or "failed" with the reason).
/// A refused request leaves a row too
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

        var (pdfPath, tiffPath) = PathsOf(id);
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
            var reason = HostCannotRender(e);
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

    /// <summary>
    /// Queues a fax whose document is rendered later, by the worker: the destination checked (refused: a
    /// <see cref="FaxStatus.Refused"/> row and the reason, nothing kept), the PDF kept, and the row written "rendering"
    /// with whatever <paramref name="alongside"/> writes, in one transaction (given the new fax's id). Returns at once,
    /// without waiting for ghostscript. <c>Error</c> is null exactly when the fax was queued.
    /// </summary>
    public async Task<(string Id, string? Error)> QueueToRenderAsync(
        string? to,
        Stream pdf,
        Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, string, Task>? alongside,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        var id = FaxIds.New(time);
        if (Check(to) is { } bad)
        {
            return (await RefuseAsync(id, to, bad, cancellationToken), bad);
        }

        var (pdfPath, tiffPath) = PathsOf(id);
        var queued = false;
        try
        {
            await using (var file = File.Create(pdfPath))
            {
                await pdf.CopyToAsync(file, cancellationToken);
            }

            await repository.QueueToRenderAsync(
                id, to!, options.Number, pdfPath, tiffPath, time.GetUtcNow(),
                alongside is null ? null : (connection, transaction) => alongside(connection, transaction, id),
                cancellationToken);
            queued = true;
            signal.Notify();
            return (id, null);
        }
        finally
        {
            // The caller gone mid-write, or the row not written: no file without a row.
            if (!queued)
            {
                Delete(pdfPath, tiffPath);
            }
        }
    }

    /// <summary>
    /// Renders the document of a fax the worker claimed "rendering" (<see cref="FaxRepository.ClaimRenderAsync"/>), under
    /// the same limits and at the same lowest priority as <see cref="EnqueueAsync"/>, and records the outcome: "queued" with
    /// its pages (and the worker woken to send it), or "failed" with the reason (a document ghostscript refuses or that hits
    /// a limit, no ghostscript on the host, a fault of ours), its partial TIFF removed. Stopped by
    /// <paramref name="cancellationToken"/> (the platform stopping), the row stays "rendering" for the next start.
    /// </summary>
    /// <exception cref="System.Data.Common.DbException">The outcome could not be written: the row stays claimed until the next start.</exception>
    public async Task<FaxRenderOutcome> RenderClaimedAsync(FaxRecord fax, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fax);
        var (_, tiffPath) = PathsOf(fax.Id);
        tiffPath = fax.TiffPath ?? tiffPath;
        string reason;
        try
        {
            var pages = await _render(fax.PdfPath ?? "", tiffPath, options.ToResolution(), cancellationToken);
            var queued = await repository.RenderedAsync(fax.Id, pages, time.GetUtcNow(), CancellationToken.None);
            signal.Notify();
            return new FaxRenderOutcome(queued ? FaxStatus.Queued : null, pages, null);
        }
        catch (FaxDocumentException e)
        {
            reason = e.Message;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            reason = HostCannotRender(e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not System.Data.Common.DbException)
        {
            reason = "the document could not be rendered inside the platform (" + e.GetType().Name + ")";
        }

        Delete(tiffPath);
        var failed = await repository.RenderFailedAsync(fax.Id, reason, time.GetUtcNow(), CancellationToken.None);
        return new FaxRenderOutcome(failed ? FaxStatus.Failed : null, 0, reason);
    }

    private static string HostCannotRender(System.ComponentModel.Win32Exception e) =>
        $"faxes cannot be rendered on this host: ghostscript (gs) under prlimit could not be started ({e.Message})";

    // Where an outbound fax's files are kept: <Fax:Directory>/outbound/<id>.pdf and .tif.
    private (string Pdf, string Tiff) PathsOf(string id)
    {
        var directory = Path.GetFullPath(Path.Combine(options.Directory, "outbound"));
        Directory.CreateDirectory(directory);
        return (Path.Combine(directory, id + ".pdf"), Path.Combine(directory, id + ".tif"));
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

/// <summary>
/// What became of a claimed render: <see cref="Status"/> "queued" (with <see cref="Pages"/>) or "failed" (with
/// <see cref="Error"/>), or null when the row was no longer "rendering" under this node's claim (taken back by a
/// worker that found the claim older than <see cref="FaxOptions.ClaimTimeoutSeconds"/>) and nothing was written.
/// </summary>
public sealed record FaxRenderOutcome(string? Status, int Pages, string? Error);

/// <summary>Wakes the fax worker when a fax is queued or waits for its render (instead of its next poll).</summary>
public sealed class FaxOutboxSignal : WakeSignal;
