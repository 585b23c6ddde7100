namespace CallCenter.FaxSms.Fax;

/// <summary>
/// The node the fax worker claims faxes as, set by the host when it wires this room: <see cref="Id"/> is written on
/// every outbound row the worker claims (<c>faxes.claimed_by</c>, 0059), and <see cref="SharesDatabase"/> says whether
/// other nodes work on the same <c>faxes</c> table (a cluster's nodes on one PostgreSQL). Sharing, a start queues again
/// only the rows this node id claimed (a node id is held by one live process at a time) and rows nobody named; alone, it
/// queues every one, as the database is this platform's only (and a machine's name, the id when none is configured,
/// may change between runs).
/// </summary>
/// <param name="Id">The host's <c>Cluster:NodeId</c>, or the machine's name when none is set.</param>
/// <param name="SharesDatabase">True on a cluster's node (<c>Cluster:Enabled</c>).</param>
public sealed record FaxNode(string Id, bool SharesDatabase)
{
    /// <summary>A platform alone on its database, known by the machine's name.</summary>
    public static FaxNode Alone { get; } = new(Environment.MachineName, SharesDatabase: false);
}
