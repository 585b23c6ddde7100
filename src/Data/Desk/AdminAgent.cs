namespace CallCenter.Data.Desk;

/// <summary>An agent as the admin pages show it: extension, name, skills and kind ('agent' or 'supervisor'); never credentials.</summary>
public sealed record AdminAgent(string Extension, string Name, IReadOnlyList<string> Skills, string Kind)
{
    public const string AgentKind = "agent";
    public const string SupervisorKind = "supervisor";
}
