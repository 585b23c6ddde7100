using System.Data.Common;
using CallCenter.Data.Registrations;
using CallCenter.ResourceControl.Agents;
using CallCenter.Telephony.Sip.Registrar;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// Phones registered through other nodes (<c>Cluster:Enabled</c> on PostgreSQL): every node's registrar writes its
/// bindings to the one sip_bindings table, but each node's agent presence only hears its own registrar. Every
/// <see cref="Every"/> this reads the table's live bindings and tells <see cref="AgentPresence"/> of each agent whose
/// phone came or went elsewhere, so an agent registered through node 1 can be made available on node 2 and rung
/// from there (through the binding's Path, or <c>Sip:OutboundProxy</c>). A local REGISTER that lands while a read is
/// on its way wins over that read: the next read settles it.
/// </summary>
internal sealed class SharedRegistrations(
    SipBindingRepository bindings,
    AgentPresence presence,
    SipRegistrar registrar,
    Hosting.ClusterOptions options,
    TimeProvider time,
    ILogger<SharedRegistrations> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _localChanges = new(StringComparer.Ordinal);
    private long _reads;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        registrar.BindingChanged += OnLocalChange;
        try
        {
            using var timer = new PeriodicTimer(Every, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReconcileAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            registrar.BindingChanged -= OnLocalChange;
        }
    }

    /// <summary>One read of the shared table, and the presence told of every difference (the extensions changed).</summary>
    internal async Task<IReadOnlyList<string>> ReconcileAsync(CancellationToken cancellationToken)
    {
        long read;
        lock (_gate)
        {
            read = ++_reads;
        }

        HashSet<string> registered;
        try
        {
            registered = [.. (await bindings.GetActiveAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken)).Select(b => b.Aor)];
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is DbException or TimeoutException or InvalidOperationException or IOException)
        {
            // The store watch reports the outage; presence keeps what it knew.
            return [];
        }

        var changed = new List<string>();
        foreach (var agent in presence.List())
        {
            var shared = registered.Contains(agent.Id);
            if (shared == agent.Registered || ChangedLocallySince(agent.Id, read))
            {
                continue;
            }

            var transition = presence.Apply(agent.Id, shared ? new AgentEvent.PhoneRegistered() : new AgentEvent.PhoneUnregistered());
            if (transition.Accepted)
            {
                changed.Add(agent.Id);
                ClusterLog.RegistrationSeen(logger, options.Node, agent.Id, shared ? "registered" : "unregistered");
            }
        }

        return changed;
    }

    private bool ChangedLocallySince(string extension, long read)
    {
        lock (_gate)
        {
            return _localChanges.TryGetValue(extension, out var at) && at >= read;
        }
    }

    private void OnLocalChange(object? sender, SipBindingChangedEventArgs e)
    {
        lock (_gate)
        {
            // Marks the read under way (and the next): neither may undo what this node's own registrar just said.
            _localChanges[e.Extension] = _reads + 1;
        }
    }
}
