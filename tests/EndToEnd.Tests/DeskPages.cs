namespace CallCenter.EndToEnd.Tests;

/// <summary>The desk's pages (src/AgentDesk/Hubs/README.md, "Pages").</summary>
internal static class DeskPages
{
    public const string SignIn = "/desk/signin";

    /// <summary>Where an agent lands after sign-in: the agent desk.</summary>
    public const string AgentLanding = "/desk/";

    /// <summary>Where a supervisor lands after sign-in: the wallboard.</summary>
    public const string Wallboard = "/desk/wallboard";

    /// <summary>The supervisors' broadcast page.</summary>
    public const string Broadcasts = "/desk/broadcasts";

    /// <summary>Where an admin lands after sign-in: the admin pages.</summary>
    public const string Admin = "/desk/admin";

    /// <summary>The supervisors' recordings page.</summary>
    public const string Recordings = "/desk/recordings";

    /// <summary>The supervisors' received faxes page.</summary>
    public const string Faxes = "/desk/faxes";

    /// <summary>The admins' announcements page.</summary>
    public const string Announcements = "/desk/announcements";
}
