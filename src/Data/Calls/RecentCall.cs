namespace CallCenter.Data.Calls;

/// <summary>One of a caller's earlier calls as the screen pop shows it: no path, legs or recording.</summary>
public sealed record RecentCall(
    string Id,
    DateTimeOffset StartedAt,
    string? Agent,
    string Disposition,
    string? WrapUpCode,
    string? WrapUpNotes,
    double TalkSeconds);
