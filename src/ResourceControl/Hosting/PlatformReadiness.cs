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

    /// <summary>Ready and not draining: a proxy may send this node new calls.</summary>
    public bool AcceptsCalls => IsReady && !Draining;
}
