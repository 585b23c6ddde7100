using System.Collections.Concurrent;
using System.Security.Claims;
using CallCenter.AgentDesk.Auth;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// The connections open under each desk session, so that the end of a session (sign-out, a new password) also
/// closes the connections it opened: a hub, like a WebSocket, checks the cookie only when the connection starts. A hub
/// filter for both hubs keeps the hubs' connections; the browser phone's SIP WebSocket is added by <see cref="Track"/>.
/// One entry per open connection.
/// <para>
/// A connection's cookie is checked when its request arrives, but the connection is kept only once it is open, so a
/// sign-out can fall between the two: the scan would miss a connection that was not kept yet. Each connection is
/// therefore kept first and its session looked up again after; whichever of the two comes second sees the other.
/// </para>
/// </summary>
internal sealed class SessionConnections(IServiceProvider services) : IHubFilter
{
    private readonly ConcurrentDictionary<string, Entry> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var caller = context.Context;
        _connections[caller.ConnectionId] = new Entry(DeskClaims.SessionOf(caller.User!), caller.User?.Identity?.Name, caller.Abort);
        if (await CloseIfEndedAsync(caller.ConnectionId, caller.User!, caller.Abort, caller.ConnectionAborted))
        {
            // Not handed to the hub: it would join the agent's group and be sent pops until the abort lands. A throw
            // here closes the connection without OnDisconnectedAsync, as nothing was connected.
            throw new HubException("The desk session has ended; sign in again.");
        }

        try
        {
            await next(context);
        }
        catch
        {
            // A connect that fails (the hub's own OnConnectedAsync) is closed without OnDisconnectedAsync.
            _connections.TryRemove(caller.ConnectionId, out _);
            throw;
        }
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
    /// session: its end calls <paramref name="abort"/>. Null when the session ended while the connection was opening
    /// (<paramref name="abort"/> has been called and nothing is kept): do not serve it. Dispose the result when the
    /// connection closes.
    /// </summary>
    public async Task<IDisposable?> TrackAsync(ClaimsPrincipal user, Action abort, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(abort);
        var id = "ws-" + Guid.NewGuid().ToString("N");
        _connections[id] = new Entry(DeskClaims.SessionOf(user), user.Identity?.Name, abort);
        return await CloseIfEndedAsync(id, user, abort, cancellationToken) ? null : new Untrack(this, id);
    }

    /// <summary>Closes the connections of one session (its sign-out); how many.</summary>
    public int CloseSession(string sessionId) => Close(e => e.Session == sessionId);

    /// <summary>Closes every connection of a login (its password changed, or it was deleted); how many.</summary>
    public int CloseLogin(string login) => Close(e => e.Login == login);

    /// <summary>
    /// The session looked up again after the connection was kept: if it has ended since, its end's scan may have
    /// missed this one, which is closed (and true). A look-up that fails (the database, or the connection dropped
    /// while it ran) forgets the connection before the failure goes on, so nothing is kept for a connection that
    /// never opened.
    /// </summary>
    private async Task<bool> CloseIfEndedAsync(string id, ClaimsPrincipal user, Action abort, CancellationToken cancellationToken)
    {
        bool alive;
        try
        {
            alive = await services.GetRequiredService<DeskSessions>().IsAliveAsync(user, cancellationToken);
        }
        catch
        {
            _connections.TryRemove(id, out _);
            throw;
        }

        if (alive)
        {
            return false;
        }

        if (_connections.TryRemove(id, out _))
        {
            abort();
        }

        return true;
    }

    private int Close(Func<Entry, bool> match)
    {
        var closed = 0;
        foreach (var (id, entry) in _connections)
        {
            if (match(entry) && _connections.TryRemove(id, out _))
            {
                try
                {
                    entry.Abort();
                }
                catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
                {
                    // Already closing by itself: the others are still closed.
                }

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
