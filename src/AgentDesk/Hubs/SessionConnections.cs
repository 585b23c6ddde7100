using System.Collections.Concurrent;
using CallCenter.AgentDesk.Auth;
using Microsoft.AspNetCore.SignalR;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// The connections open under each desk session, so that the end of a session (sign-out, a new password) also
/// closes the connections it opened: a hub, like a WebSocket, checks the cookie only when the connection starts. A hub
/// filter for both hubs keeps the hubs' connections; the browser phone's SIP WebSocket is added by <see cref="Track"/>.
/// One entry per open connection.
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
        _connections[caller.ConnectionId] = new Entry(DeskClaims.SessionOf(caller.User!), caller.User?.Identity?.Name, caller.Abort);
        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        _connections.TryRemove(context.Context.ConnectionId, out _);
        await next(context, exception);
    }

    /// <summary>
    /// Keeps a connection that is not a hub's (the browser phone's SIP WebSocket) under <paramref name="user"/>'s
    /// session: its end calls <paramref name="abort"/>. Dispose the result when the connection closes.
    /// </summary>
    public IDisposable Track(System.Security.Claims.ClaimsPrincipal user, Action abort)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(abort);
        var id = "ws-" + Guid.NewGuid().ToString("N");
        _connections[id] = new Entry(DeskClaims.SessionOf(user), user.Identity?.Name, abort);
        return new Untrack(this, id);
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
                entry.Abort();
                closed++;
            }
        }

        return closed;
    }

    private sealed record Entry(string? Session, string? Login, Action Abort);

    private sealed class Untrack(SessionConnections owner, string id) : IDisposable
    {
        public void Dispose() => owner._connections.TryRemove(id, out _);
    }
}
