namespace CallCenter.ResourceControl.Agents;

/// <summary>Agent states as the REST API spells them (design.md section 4: camelCase JSON).</summary>
internal static class AgentStatusText
{
    /// <summary>A status's name in <c>GET /api/agents</c>: offline, available, offered, onCall, wrapUp, break (and see <see cref="Email"/>).</summary>
    public static string ToApi(AgentStatus status) => status switch
    {
        AgentStatus.Offline => "offline",
        AgentStatus.Available => "available",
        AgentStatus.Offered => "offered",
        AgentStatus.OnCall => "onCall",
        AgentStatus.WrapUp => "wrapUp",
        AgentStatus.Break => "break",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>
    /// The state an agent shows: its status, except <c>email</c> for an available agent handling an
    /// accepted e-mail task (present and working, but not offered calls).
    /// </summary>
    public static string ToApi(AgentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Status == AgentStatus.Available && state.EmailTask is not null ? Email : ToApi(state.Status);
    }

    /// <summary>An available agent handling an e-mail task (see <see cref="ToApi(AgentState)"/>).</summary>
    public const string Email = "email";

    /// <summary>
    /// Reads the <c>state</c> of <c>POST /api/agents/{id}/state</c>: available, break or offline (any case);
    /// false for anything else, which the endpoint answers with 400.
    /// </summary>
    public static bool TryParseRequest(string? text, out AgentStatus status)
    {
        status = text?.ToUpperInvariant() switch
        {
            "AVAILABLE" => AgentStatus.Available,
            "BREAK" => AgentStatus.Break,
            "OFFLINE" => AgentStatus.Offline,
            _ => (AgentStatus)(-1),
        };
        return Enum.IsDefined(status);
    }
}
