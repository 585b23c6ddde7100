using System.Data.Common;
using System.Security.Claims;
using CallCenter.Data.Desk;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>Writes the hubs' audit entries (who, role, action, target, done or refused) and the matching log line.</summary>
internal sealed class DeskAudit(AuditRepository audit, TimeProvider time, ILogger<DeskAudit> logger)
{
    public Task DoneAsync(ClaimsPrincipal user, string action, string? target, string? detail)
    {
        var (login, role) = Who(user);
        HubLog.ActionDone(logger, action, target, login, role);
        return AppendAsync(new AuditEntry(time.GetUtcNow(), login, role, action, target, AuditEntry.Done, detail));
    }

    public Task RefusedAsync(ClaimsPrincipal user, string action, string? target, string detail)
    {
        var (login, role) = Who(user);
        HubLog.ActionRefused(logger, action, target, login, role, detail);
        return AppendAsync(new AuditEntry(time.GetUtcNow(), login, role, action, target, AuditEntry.Refused, detail));
    }

    private static (string Login, string Role) Who(ClaimsPrincipal user) =>
        (user.Identity?.Name ?? "?", user.FindFirstValue(ClaimTypes.Role) ?? "?");

    private async Task AppendAsync(AuditEntry entry)
    {
        try
        {
            await audit.AppendAsync(entry);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            // The answer to the browser does not wait on a broken database; the log line stays.
            HubLog.AuditFailed(logger, e, entry.Action, entry.Target, entry.Actor);
        }
    }
}
