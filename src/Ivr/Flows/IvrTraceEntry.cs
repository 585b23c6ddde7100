namespace CallCenter.Ivr.Flows;

/// <summary>
/// One node the session entered: its flow-qualified id (<c>95500.menu</c>), when, and the keys
/// pressed there (each key of a masked collect shows as '*').
/// </summary>
public sealed record IvrTraceEntry(string Node, DateTimeOffset EnteredAt, string Keys)
{
    /// <summary>The flow-qualified node ids of <paramref name="trace"/>, in order: a call record's <c>ivrPath</c>.</summary>
    public static string[] Nodes(IReadOnlyList<IvrTraceEntry> trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var nodes = new string[trace.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = trace[i].Node;
        }

        return nodes;
    }
}
