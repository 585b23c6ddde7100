namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// The <c>Cluster</c> section: this node's name among several behind one SIP proxy. What runs today is
/// the SIP side of a cluster (Path, loose routing, a shared nonce secret, OPTIONS 503 and draining);
/// state shared between nodes (registrations, agents and queues on one PostgreSQL, events over Redis)
/// is not built yet, so <see cref="Enabled"/> must stay false and each node is its own island.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Shared state between nodes; not built yet, so true stops the start with a message.</summary>
    public bool Enabled { get; set; }

    /// <summary>This node's name in /health and /api/node; empty means the machine's name.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>A StackExchange.Redis configuration string for the nodes' live events (with <see cref="Enabled"/>).</summary>
    public string Redis { get; set; } = "";

    /// <summary>The name this node goes by.</summary>
    public string Node => NodeId.Length > 0 ? NodeId : Environment.MachineName;

    /// <summary>Every problem found, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        if (Enabled)
        {
            yield return "Cluster:Enabled=true: state shared between nodes (registrations, agents and queues on one database, events over Redis) is not built yet; run each node with Cluster:Enabled=false (Path, loose routing, Sip:NonceSecret and draining work without it).";
        }

        if (NodeId.Length > 64 || NodeId.Any(c => c is < '!' or > '~'))
        {
            yield return "Cluster:NodeId must be at most 64 printable ASCII characters without spaces.";
        }
    }
}
