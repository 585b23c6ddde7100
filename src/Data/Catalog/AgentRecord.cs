namespace CallCenter.Data.Catalog;

/// <summary>
/// An agent's SIP identity: the extension and the digest HA1 values (never the password), and the
/// skills the router matches calls against (comma-separated: "zh,en,stocks").
/// </summary>
public sealed record AgentRecord(string Extension, string Name, string SipRealm, string SipHa1Md5, string SipHa1Sha256, string Skills = "zh,en")
{
    /// <summary>The skills as a list, trimmed, empty entries dropped.</summary>
    public IReadOnlyList<string> SkillList => Skills.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
