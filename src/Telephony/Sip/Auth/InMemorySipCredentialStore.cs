using System.Collections.Concurrent;

namespace CallCenter.Telephony.Sip.Auth;

/// <summary>An <see cref="ISipCredentialStore"/> in memory, for tests and tools.</summary>
public sealed class InMemorySipCredentialStore : ISipCredentialStore
{
    private readonly ConcurrentDictionary<string, SipCredential> _credentials = new(StringComparer.Ordinal);

    public void Set(SipCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _credentials[credential.Username] = credential;
    }

    /// <summary>Stores the HA1 values of <paramref name="password"/>; the password itself is not kept.</summary>
    public void SetPassword(string username, string realm, string password) =>
        Set(SipCredential.FromPassword(username, realm, password));

    public bool Remove(string username) => _credentials.TryRemove(username, out _);

    public ValueTask<SipCredential?> FindAsync(string username, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_credentials.GetValueOrDefault(username));
}
