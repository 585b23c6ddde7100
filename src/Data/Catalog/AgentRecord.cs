namespace CallCenter.Data.Catalog;

/// <summary>
/// An agent's SIP identity: the extension and the digest HA1 values (never the password), and the
/// skills the router matches calls against (comma-separated: "zh,en,stocks"). <see cref="Kind"/> is
/// <c>agent</c> (offered calls) or <c>supervisor</c> (a supervisor's phone: registers, is called for
/// listen, whisper and barge, never routed a call).
/// </summary>
public sealed record AgentRecord(string Extension, string Name, string SipRealm, string SipHa1Md5, string SipHa1Sha256, string Skills = "zh,en", string Kind = AgentRecord.AgentKind)
{
    public const string AgentKind = "agent";
    public const string SupervisorKind = "supervisor";

    /// <summary>A supervisor's phone, not an agent the router may offer calls.</summary>
    public bool IsSupervisor => Kind == SupervisorKind;

    /// <summary>The skills as a list, trimmed, empty entries dropped.</summary>
    public IReadOnlyList<string> SkillList => Skills.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
