using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// The <c>Cluster</c> section: this node's name among several behind one SIP proxy, and with
/// <see cref="Enabled"/> the Redis server the nodes share live: the SignalR backplane (a desk or
/// wallboard on any node gets every node's pushes) and the wallboard's view of all nodes. On one shared
/// PostgreSQL the nodes also share their registrations and hold one leader lease; agent states and queues stay
/// each node's own (the cluster-wide ACD is not built).
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Share live events between nodes over <see cref="Redis"/> (needs it).</summary>
    public bool Enabled { get; set; }

    /// <summary>This node's name in /health and /api/node; empty means the machine's name.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>A StackExchange.Redis configuration string for the nodes' live events (with <see cref="Enabled"/>).</summary>
    public string Redis { get; set; } = "";

    /// <summary>
    /// A PEM file holding a certificate and its RSA private key (with <see cref="Enabled"/>): the Data Protection keys the
    /// nodes keep in Redis are stored encrypted to it (XML Encryption), so whoever reads Redis does not get the keys that
    /// sign desk cookies. Every node needs the same file; empty keeps them unencrypted.
    /// </summary>
    public string KeyRingCertificate { get; set; } = "";

    /// <summary>The longest node id a cluster takes: PostgreSQL keeps 63 bytes of a connection's application_name, and the lease's starts with its prefix.</summary>
    public static int MaxClusterNodeLength => 63 - Cluster.LeaderLease.ApplicationNamePrefix.Length;

    /// <summary>The name this node goes by.</summary>
    public string Node => NodeId.Length > 0 ? NodeId : Environment.MachineName;

    /// <summary>Every problem found, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        if (Enabled && string.IsNullOrWhiteSpace(Redis))
        {
            yield return "Cluster:Redis must name the Redis server the nodes share (a StackExchange.Redis configuration string such as 127.0.0.1:6379) when Cluster:Enabled=true.";
        }
        else if (Enabled && RedisError() is { } error)
        {
            yield return $"Cluster:Redis is not a StackExchange.Redis configuration string: {error}";
        }

        if (Enabled && KeyRingCertificate.Length > 0 && KeyRingCertificateError() is { } certificateError)
        {
            yield return $"Cluster:KeyRingCertificate: \"{KeyRingCertificate}\" is not a PEM file with a certificate and its RSA private key ({certificateError}).";
        }

        if (NodeId.Length > 64 || NodeId.Any(c => c is < '!' or > '~'))
        {
            yield return "Cluster:NodeId must be at most 64 printable ASCII characters without spaces.";
        }
        else if (Enabled && System.Text.Encoding.UTF8.GetByteCount(Node) > MaxClusterNodeLength)
        {
            // The leader's lease names its holder in PostgreSQL's application_name, which keeps 63 bytes: a longer
            // name would be cut, the leader would never find itself holding the lease, and no caller would be routed.
            yield return NodeId.Length > 0
                ? $"Cluster:NodeId \"{NodeId}\" is {NodeId.Length} characters; a cluster node's id must be at most {MaxClusterNodeLength}."
                : $"Cluster:NodeId is empty, so this node would go by its machine name \"{Node}\", which is longer than the {MaxClusterNodeLength} characters a cluster node's id may have: set Cluster:NodeId.";
        }
    }

    /// <summary>The certificate of <see cref="KeyRingCertificate"/>, with its private key.</summary>
    public X509Certificate2 LoadKeyRingCertificate() => X509Certificate2.CreateFromPemFile(KeyRingCertificate);

    private string? KeyRingCertificateError()
    {
        try
        {
            using var certificate = LoadKeyRingCertificate();
            using var key = certificate.GetRSAPrivateKey();
            return key is null ? "no RSA private key" : null;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return e.Message;
        }
    }

    private string? RedisError()
    {
        try
        {
            return StackExchange.Redis.ConfigurationOptions.Parse(Redis).EndPoints.Count == 0 ? "it names no server" : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
