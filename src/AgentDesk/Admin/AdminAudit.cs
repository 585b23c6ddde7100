using CallCenter.Data.Desk;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Admin;

/// <summary>Writes each admin change, done or refused, to the audit log and the log. Never a password: callers pass none.</summary>
internal sealed class AdminAudit(AuditRepository audit, TimeProvider time, ILogger<AdminAudit> logger)
{
    public async Task DoneAsync(AdminActor actor, string action, string? target, string? detail, CancellationToken cancellationToken)
    {
        AgentDeskLog.AdminDone(logger, actor.Name, action, target);
        await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), actor.Name, actor.Role, action, target, AuditEntry.Done, detail), cancellationToken);
    }

    public async Task RefusedAsync(AdminActor actor, string action, string? target, string reason, CancellationToken cancellationToken)
    {
        AgentDeskLog.AdminRefused(logger, actor.Name, action, target, reason);
        await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), actor.Name, actor.Role, action, target, AuditEntry.Refused, reason), cancellationToken);
    }
}
