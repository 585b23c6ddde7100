namespace CallCenter.Contracts.Agents;

/// <summary>
/// Tells the running platform that the admin pages changed an agent in the catalog, so the change
/// takes effect without a restart; the host implements it over its roster and router.
/// </summary>
public interface IAgentCatalogChanges
{
    /// <summary>An agent was created or updated: a new one joins the roster (offline), new skills apply to the next call routed.</summary>
    void AgentSaved(string extension, IReadOnlyList<string> skills, string kind);

    /// <summary>An agent (offline) was deleted from the catalog: it leaves the roster.</summary>
    void AgentRemoved(string extension);
}
