namespace CallCenter.Ivr.Flows;

/// <summary>
/// One node the session entered: its flow-qualified id (<c>95500.menu</c>), when, and the keys
/// pressed there (each key of a masked collect shows as '*').
/// </summary>
public sealed record IvrTraceEntry(string Node, DateTimeOffset EnteredAt, string Keys);
