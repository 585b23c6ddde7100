namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// What GET /health and SIP OPTIONS report: each part turns ready once during start-up; an operator
/// may drain the node (new calls refused with 503, live ones go on) and resume it.
/// </summary>
internal sealed class PlatformReadiness
{
    private volatile bool _draining;
    private volatile bool _database;
    private volatile bool _sip;
    private volatile bool _media;
    private volatile bool _nodeIdClash;
    private Func<bool> _sharedState = static () => true;
    private Func<bool> _store = static () => true;

    public bool Database
    {
        get => _database;
        set => _database = value;
    }

    public bool Sip
    {
        get => _sip;
        set => _sip = value;
    }

    public bool Media
    {
        get => _media;
        set => _media = value;
    }

    public bool IsReady => Database && Sip && Media;

    /// <summary>Set by POST /api/node/drain, cleared by POST /api/node/resume: no new calls, OPTIONS answers 503.</summary>
    public bool Draining
    {
        get => _draining;
        set => _draining = value;
    }

    /// <summary>
    /// In a cluster, whether the state shared between nodes (Redis) is reachable; set once by the
    /// cluster link. Always true for one node alone.
    /// </summary>
    public Func<bool> SharedState
    {
        get => Volatile.Read(ref _sharedState);
        set => Volatile.Write(ref _sharedState, value);
    }

    public bool SharedStateUp => SharedState();

    /// <summary>
    /// In a cluster on PostgreSQL, whether the shared database answers; set once by the cluster's store watch.
    /// Always true otherwise (one node alone keeps taking calls through a database outage).
    /// </summary>
    public Func<bool> Store
    {
        get => Volatile.Read(ref _store);
        set => Volatile.Write(ref _store, value);
    }

    public bool StoreUp => Store();

    /// <summary>
    /// In a cluster on PostgreSQL, another live process holds this node's <c>Cluster:NodeId</c>: this one stays out of
    /// the cluster and takes no calls until the id is its own. Always false otherwise.
    /// </summary>
    public bool NodeIdClash
    {
        get => _nodeIdClash;
        set => _nodeIdClash = value;
    }

    /// <summary>Drained, cut off from the cluster's shared state or store, or sharing its node id: new calls get 503, live ones go on.</summary>
    public bool RefusesNewCalls => Draining || !SharedStateUp || !StoreUp || NodeIdClash;

    /// <summary>Ready, not draining and (in a cluster) reaching Redis and its store: a proxy may send this node new calls.</summary>
    public bool AcceptsCalls => IsReady && !RefusesNewCalls;
}
