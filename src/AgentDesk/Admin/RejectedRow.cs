namespace CallCenter.AgentDesk.Admin;

/// <summary>A CSV row left out of an import: its line in the file and why.</summary>
internal sealed record RejectedRow(int Line, string Reason);
