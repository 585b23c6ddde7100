namespace CallCenter.ResourceControl.Hosting;

/// <summary>What GET /health reports: each part turns ready once during start-up.</summary>
internal sealed class PlatformReadiness
{
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
}
