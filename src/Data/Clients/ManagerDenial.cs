namespace CallCenter.Data.Clients;

/// <summary>
/// A client's denial of their account manager, in SQL shared by every reader that routes work to that manager. The
/// denial is the client's latest answer on a new-account confirmation call (<c>call_list_entries.confirmation</c>) about
/// the manager the directory names now (an agent's extension or an outside name): "denied" flags the relationship for
/// removal, and until the directory names another manager (or a later call confirms this one), nothing is held or
/// steered to that manager: not the client's calls, not their list calls, not their e-mails.
/// </summary>
public static class ManagerDenial
{
    /// <summary>
    /// An SQL expression: when (ms) the client row <paramref name="client"/> (an alias of <c>clients</c>) last denied the
    /// manager it names, or NULL when they did not, or later confirmed them. The same on SQLite and PostgreSQL.
    /// </summary>
    public static string DeniedAtMs(string client) =>
        $"""
        (SELECT CASE WHEN e.confirmation = 'denied' THEN e.updated_at_ms END FROM call_list_entries e
         WHERE e.number = {client}.phone AND e.confirmation IS NOT NULL AND e.account_manager IN ({client}.manager_extension, {client}.manager_name)
         ORDER BY e.updated_at_ms DESC, e.id DESC LIMIT 1)
        """;

    /// <summary>An SQL expression: the client row's manager extension to route to, NULL when the client denied that manager.</summary>
    public static string RoutableManager(string client) =>
        $"CASE WHEN {DeniedAtMs(client)} IS NULL THEN {client}.manager_extension END";
}
