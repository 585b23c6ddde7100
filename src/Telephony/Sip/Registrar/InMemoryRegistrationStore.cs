namespace CallCenter.Telephony.Sip.Registrar;

/// <summary>An <see cref="IRegistrationStore"/> in memory, for tests and a database-less run.</summary>
public sealed class InMemoryRegistrationStore : IRegistrationStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, SipBinding>> _bindings = new(StringComparer.Ordinal);

    public ValueTask<IReadOnlyList<SipBinding>> GetBindingsAsync(string aor, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<SipBinding> result = _bindings.TryGetValue(aor, out var contacts) ? [.. contacts.Values] : [];
            return ValueTask.FromResult(result);
        }
    }

    public ValueTask<IReadOnlyList<SipBinding>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<SipBinding> result = [.. _bindings.Values.SelectMany(contacts => contacts.Values)];
            return ValueTask.FromResult(result);
        }
    }

    public ValueTask UpsertAsync(SipBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        lock (_gate)
        {
            if (!_bindings.TryGetValue(binding.Aor, out var contacts))
            {
                contacts = new Dictionary<string, SipBinding>(StringComparer.Ordinal);
                _bindings[binding.Aor] = contacts;
            }

            contacts[binding.ContactKey] = binding;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RemoveAsync(string aor, string contactKey, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var removed = _bindings.TryGetValue(aor, out var contacts) && contacts.Remove(contactKey);
            if (contacts is { Count: 0 })
            {
                _bindings.Remove(aor);
            }

            return ValueTask.FromResult(removed);
        }
    }

    public ValueTask<int> RemoveAllAsync(string aor, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_bindings.Remove(aor, out var contacts) ? contacts.Count : 0);
        }
    }

    public ValueTask<IReadOnlyList<SipBinding>> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var removed = new List<SipBinding>();
        lock (_gate)
        {
            foreach (var (aor, contacts) in _bindings)
            {
                foreach (var (key, binding) in contacts)
                {
                    if (binding.ExpiresAt <= now)
                    {
                        removed.Add(binding);
                        contacts.Remove(key);
                    }
                }

                if (contacts.Count == 0)
                {
                    _bindings.Remove(aor);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<SipBinding>>(removed);
    }
}
