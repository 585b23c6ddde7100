namespace CallCenter.AgentDesk.Admin;

/// <summary>
/// One CSV record: the physical line it starts on (1-based; a quoted field may run over several
/// lines), its fields, and why it is malformed when it is (the first problem found; the fields are
/// then incomplete and must not be used).
/// </summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string? Error);
