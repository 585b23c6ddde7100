using CallCenter.Data.Clients;

namespace CallCenter.AgentDesk.Admin;

/// <summary>What a grading feed upload does: the months to store, the rows refused with their line and reasons, or a header error (nothing stored).</summary>
internal sealed record FiguresImportPlan(IReadOnlyList<ClientMonthFigures> Rows, IReadOnlyList<RejectedRow> Rejected, string? HeaderError);
