namespace CallCenter.Telephony.Sip.Registrar;

/// <summary>
/// Where bindings live. The host implements it over the database so that a restart keeps
/// bindings until they expire; <see cref="InMemoryRegistrationStore"/> serves tests.
/// The registrar serializes calls per AOR, so an implementation needs no locking of its own
/// beyond what concurrent different AORs require.
/// </summary>
public interface IRegistrationStore
{
    /// <summary>Every stored binding of <paramref name="aor"/>, expired ones included until removed; callers filter by time.</summary>
    ValueTask<IReadOnlyList<SipBinding>> GetBindingsAsync(string aor, CancellationToken cancellationToken = default);

    /// <summary>Every stored binding of every AOR, expired ones included until removed (a few per agent: read at start-up).</summary>
    ValueTask<IReadOnlyList<SipBinding>> GetAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the binding with the same (Aor, ContactKey).</summary>
    ValueTask UpsertAsync(SipBinding binding, CancellationToken cancellationToken = default);

    /// <summary>Removes one binding; false when there was none.</summary>
    ValueTask<bool> RemoveAsync(string aor, string contactKey, CancellationToken cancellationToken = default);

    /// <summary>Removes every binding of <paramref name="aor"/>; returns how many.</summary>
    ValueTask<int> RemoveAllAsync(string aor, CancellationToken cancellationToken = default);

    /// <summary>Removes every binding with ExpiresAt at or before <paramref name="now"/> and returns them.</summary>
    ValueTask<IReadOnlyList<SipBinding>> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
