namespace CallCenter.EndToEnd.Tests;

/// <summary>The desk's pages (src/AgentDesk/Hubs/README.md, "Pages").</summary>
internal static class DeskPages
{
    public const string SignIn = "/desk/signin";

    /// <summary>Where an agent lands after sign-in.</summary>
    public const string AgentLanding = "/desk/me";
}
