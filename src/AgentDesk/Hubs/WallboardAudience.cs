namespace CallCenter.AgentDesk.Hubs;

/// <summary>How many wallboard connections are open: the publisher builds no view when nobody watches.</summary>
internal sealed class WallboardAudience
{
    private int _connections;

    public int Connections => Volatile.Read(ref _connections);

    public void Joined() => Interlocked.Increment(ref _connections);

    public void Left() => Interlocked.Decrement(ref _connections);
}
