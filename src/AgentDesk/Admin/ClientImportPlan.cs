using CallCenter.Data.Catalog;

namespace CallCenter.AgentDesk.Admin;

/// <summary>
/// What a client CSV comes to: the rows to upsert and the rows rejected, or a header error when the
/// file cannot be read at all (then nothing is imported). <paramref name="HasCallHours"/>: the file has the
/// <c>call_hours</c> column (without it, the clients' stored hours are kept).
/// </summary>
internal sealed record ClientImportPlan(IReadOnlyList<ClientRecord> Rows, IReadOnlyList<RejectedRow> Rejected, string? HeaderError, bool HasCallHours = false);
