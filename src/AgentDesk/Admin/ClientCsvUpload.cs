using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CallCenter.AgentDesk.Admin;

/// <summary>
/// Reads a client CSV upload (<c>text/csv</c>, UTF-8) into records as it arrives, within the limits:
/// at most <see cref="MaxBytes"/> bytes and <see cref="MaxRows"/> rows after the header. Past a limit
/// it stops reading at once.
/// </summary>
internal static class ClientCsvUpload
{
    public const int MaxBytes = 5 * 1024 * 1024;

    public const int MaxRows = 100_000;

    /// <summary>The records, or the status (415, 413) and the reason the upload is refused.</summary>
    public static async Task<(List<CsvRecord>? Records, int Status, string? Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)
            || (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, "The body must be text/csv in UTF-8.");
        }

        var tooLarge = string.Create(CultureInfo.InvariantCulture, $"The file must be at most {MaxBytes / (1024 * 1024)} MB and {MaxRows:N0} rows.");
        if (request.ContentLength > MaxBytes)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, tooLarge);
        }

        var reader = new CsvReader();
        var records = new List<CsvRecord>();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > MaxBytes)
                {
                    return (null, StatusCodes.Status413PayloadTooLarge, tooLarge);
                }

                reader.Read(buffer.AsSpan(0, read), records);
                if (records.Count > MaxRows + 1)
                {
                    return (null, StatusCodes.Status413PayloadTooLarge, tooLarge);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        reader.Complete(records);
        return records.Count > MaxRows + 1 ? (null, StatusCodes.Status413PayloadTooLarge, tooLarge) : (records, StatusCodes.Status200OK, null);
    }
}
