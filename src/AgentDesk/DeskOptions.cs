namespace CallCenter.AgentDesk;

/// <summary>The <c>Desk</c> section: the web desk's sign-in session and lockout.</summary>
public sealed class DeskOptions
{
    public const string Section = "Desk";

    /// <summary>A session ends after this many minutes without a request (sliding expiry).</summary>
    public int SessionMinutes { get; set; } = 480;

    /// <summary>Wrong passwords in a row that lock a login.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked login stays locked.</summary>
    public int LockoutMinutes { get; set; } = 15;

    public IEnumerable<string> Validate()
    {
        if (SessionMinutes is < 1 or > 7 * 24 * 60)
        {
            yield return "Desk:SessionMinutes must be between 1 and 10080 (a week).";
        }

        if (MaxFailedSignIns is < 1 or > 100)
        {
            yield return "Desk:MaxFailedSignIns must be between 1 and 100.";
        }

        if (LockoutMinutes is < 1 or > 24 * 60)
        {
            yield return "Desk:LockoutMinutes must be between 1 and 1440 (a day).";
        }
    }
}
