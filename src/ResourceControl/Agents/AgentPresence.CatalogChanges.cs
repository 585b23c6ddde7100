using CallCenter.Contracts.Agents;

namespace CallCenter.ResourceControl.Agents;

/// <summary>
/// The admin pages' changes to the agent catalog, applied to the running roster and router, so an
/// agent added or given new skills takes calls without a restart (<see cref="StartAsync"/> reads
/// the catalog only once).
/// </summary>
internal sealed partial class AgentPresence : IAgentCatalogChanges
{
    public void AgentSaved(string extension, IReadOnlyList<string> skills, string kind)
    {
        ArgumentNullException.ThrowIfNull(skills);
        lock (_gate)
        {
            var now = time.GetUtcNow();

            // A supervisor's phone is called for listen, whisper and barge, never offered a call.
            if (roster.Find(extension) is null && kind == "supervisor")
            {
                return;
            }

            roster.Add(extension, now);
            _skills[extension] = skills;

            // The router keeps an agent's skills from when it became available: an available agent gets the new
            // ones at once, any other when it is next available (Publish hands the router SkillsOf then).
            if (roster.Find(extension) is { Routable: true } state)
            {
                queues.AgentAvailable(extension, skills, state.CallsOn(now));
            }
        }

        LogCatalogSaved(logger, extension);
    }

    public void AgentRemoved(string extension)
    {
        bool removed;
        lock (_gate)
        {
            removed = roster.Remove(extension);
            if (removed)
            {
                _skills.Remove(extension);
            }
        }

        if (removed)
        {
            LogCatalogRemoved(logger, extension);
        }
    }

    [LoggerMessage(2510, LogLevel.Information, "Agent {Extension} saved by an admin: the roster has its skills")]
    private static partial void LogCatalogSaved(ILogger logger, string extension);

    [LoggerMessage(2511, LogLevel.Information, "Agent {Extension} deleted by an admin: it left the roster")]
    private static partial void LogCatalogRemoved(ILogger logger, string extension);
}
