using CallCenter.AgentDesk.Auth;

namespace CallCenter.AgentDesk;

/// <summary>The desk's security counters for the host's GET /health (under <c>desk</c>): sign-in guessing, sessions, forms.</summary>
public sealed class DeskHealth
{
    private readonly SignInGuard _guard;
    private readonly TimeProvider _time;
    private long _sessionsSignedOut;
    private long _endedSessionsRefused;
    private long _antiforgeryRefused;

    internal DeskHealth(SignInGuard guard, TimeProvider time)
    {
        _guard = guard;
        _time = time;
    }

    public DeskHealthSnapshot Snapshot()
    {
        var guard = _guard.Status(_time.GetUtcNow());
        return new DeskHealthSnapshot(
            guard.Failures,
            guard.Bans,
            guard.Lockouts,
            guard.Refused,
            guard.SourcesBanned,
            guard.LoginsLocked,
            guard.SourcesTracked,
            guard.Evictions,
            Interlocked.Read(ref _sessionsSignedOut),
            Interlocked.Read(ref _endedSessionsRefused),
            Interlocked.Read(ref _antiforgeryRefused));
    }

    internal void SessionSignedOut() => Interlocked.Increment(ref _sessionsSignedOut);

    internal void EndedSessionRefused() => Interlocked.Increment(ref _endedSessionsRefused);

    internal void AntiforgeryRefused() => Interlocked.Increment(ref _antiforgeryRefused);
}
