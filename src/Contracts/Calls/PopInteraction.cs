namespace CallCenter.Contracts.Calls;

/// <summary>One of the caller's earlier calls, newest first in <see cref="CallPop.Recent"/> (at most five).</summary>
public sealed record PopInteraction(string CallId, DateTimeOffset At, string? Agent, string Disposition, string? WrapUpCode, string? WrapUpNotes, double TalkSeconds);
