namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// The other nodes of a cluster as the wallboard sees them: each node shares its own view (its queues,
/// agents and today's figures) every second and reads the others', and <see cref="WallboardMerge"/>
/// makes one view of them. One node alone has no peers (<see cref="NoWallboardPeers"/>).
/// </summary>
internal interface IWallboardPeers
{
    /// <summary>True in a cluster: the node shares its view every second even when nobody watches it here.</summary>
    bool Shares { get; }

    /// <summary>
    /// The group this node's own wallboard connections join for the once-a-second view. With a SignalR
    /// backplane a group spans every node, so each node sends its merged view to a group of its own.
    /// </summary>
    string ViewGroup { get; }

    Task ShareAsync(WallboardView local, CancellationToken cancellationToken);

    /// <summary>The other nodes' latest views, those too old to be alive left out; empty when they cannot be read.</summary>
    Task<IReadOnlyList<WallboardView>> OthersAsync(CancellationToken cancellationToken);
}

/// <summary>A node alone: nothing to share, nobody to read.</summary>
internal sealed class NoWallboardPeers : IWallboardPeers
{
    public bool Shares => false;

    public string ViewGroup => DeskEvents.WallboardGroup;

    public Task ShareAsync(WallboardView local, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<WallboardView>> OthersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<WallboardView>>([]);
}
