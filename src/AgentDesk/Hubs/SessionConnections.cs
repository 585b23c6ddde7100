using System.Collections.Concurrent;
using CallCenter.AgentDesk.Auth;
using Microsoft.AspNetCore.SignalR;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// The hub connections open under each desk session, so that the end of a session (sign-out, a new password) also
/// closes the connections it opened: a hub checks the cookie only when the connection starts. A hub filter for both
/// hubs keeps it, one entry per open connection.
/// </summary>
internal sealed class SessionConnections : IHubFilter
{
    private readonly ConcurrentDictionary<string, Entry> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var caller = context.Context;
        _connections[caller.ConnectionId] = new Entry(DeskClaims.SessionOf(caller.User!), caller.User?.Identity?.Name, caller);
        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        _connections.TryRemove(context.Context.ConnectionId, out _);
        await next(context, exception);
    }

    /// <summary>Closes the connections of one session (its sign-out); how many.</summary>
    public int CloseSession(string sessionId) => Close(e => e.Session == sessionId);

    /// <summary>Closes every connection of a login (its password changed, or it was deleted); how many.</summary>
    public int CloseLogin(string login) => Close(e => e.Login == login);

    private int Close(Func<Entry, bool> match)
    {
        var closed = 0;
        foreach (var (id, entry) in _connections)
        {
            if (match(entry) && _connections.TryRemove(id, out _))
            {
                entry.Caller.Abort();
                closed++;
            }
        }

        return closed;
    }

    private sealed record Entry(string? Session, string? Login, HubCallerContext Caller);
}
