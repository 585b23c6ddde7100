namespace CallCenter.Telephony.Sip.Auth;

/// <summary>
/// Replay protection for stateless nonces (RFC 7616 3.4.5, 5.3): the highest nonce-count
/// accepted per nonce. Only nonces that carried a correct response get an entry, so a party
/// without a password cannot fill the table. Entries leave when their nonce expires; when the
/// table is full the oldest entry is dropped and every nonce issued up to it counts as used
/// (a legitimate client gets stale=true and moves to a fresh nonce), so replay stays refused.
/// </summary>
internal sealed class NonceCountTracker
{
    private const int PurgeIntervalSeconds = 30;

    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private DateTimeOffset _forgottenUpTo = DateTimeOffset.MinValue;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    public NonceCountTracker(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Records use <paramref name="count"/> of <paramref name="nonce"/> (0 for a request without
    /// qop) and says whether it is new: higher than every count seen before for this nonce, and a
    /// nonce used without qop is never accepted twice (RFC 2617 3.2.2 for RFC 2069 clients).
    /// </summary>
    public bool TryUse(string nonce, uint count, DateTimeOffset issuedAt, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        lock (_gate)
        {
            if ((now - _lastPurge).TotalSeconds >= PurgeIntervalSeconds)
            {
                Purge(now);
            }

            if (_entries.TryGetValue(nonce, out var entry))
            {
                if (count <= entry.HighestCount)
                {
                    return false;
                }

                _entries[nonce] = entry with { HighestCount = count };
                return true;
            }

            if (issuedAt <= _forgottenUpTo)
            {
                return false;
            }

            if (_entries.Count >= _capacity)
            {
                Purge(now);
            }

            if (_entries.Count >= _capacity)
            {
                var oldest = _entries.MinBy(e => e.Value.IssuedAt);
                _entries.Remove(oldest.Key);
                if (oldest.Value.IssuedAt > _forgottenUpTo)
                {
                    _forgottenUpTo = oldest.Value.IssuedAt;
                }

                if (issuedAt <= _forgottenUpTo)
                {
                    return false;
                }
            }

            _entries[nonce] = new Entry(count, issuedAt, expiresAt);
            return true;
        }
    }

    private void Purge(DateTimeOffset now)
    {
        _lastPurge = now;
        foreach (var (nonce, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.Remove(nonce);
            }
        }
    }

    private readonly record struct Entry(uint HighestCount, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
}
