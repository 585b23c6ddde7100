using System.Text;

namespace CallCenter.Ivr.Flows;

/// <summary>
/// A session's variables. Values collected by a masked node are secret: <see cref="Get"/>
/// refuses them, <see cref="ToString"/> masks them, and only <see cref="GetSecret"/> hands them
/// out (to the self-service layer that verifies a PIN).
/// </summary>
public sealed class IvrVariables
{
    private readonly Dictionary<string, (string Value, bool Secret)> _values = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => _values.Keys;

    public void Set(string name, string value, bool secret = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _values[name] = (value, secret);
    }

    public bool Contains(string name) => _values.ContainsKey(name);

    public bool IsSecret(string name) => _values.TryGetValue(name, out var entry) && entry.Secret;

    /// <summary>The value of a non-secret variable, or null when unset.</summary>
    /// <exception cref="InvalidOperationException">The variable is secret.</exception>
    public string? Get(string name)
    {
        if (!_values.TryGetValue(name, out var entry))
        {
            return null;
        }

        return entry.Secret
            ? throw new InvalidOperationException($"Variable '{name}' is secret; use GetSecret.")
            : entry.Value;
    }

    /// <summary>The value of a secret variable, or null when unset or not secret.</summary>
    public string? GetSecret(string name) =>
        _values.TryGetValue(name, out var entry) && entry.Secret ? entry.Value : null;

    public bool Remove(string name) => _values.Remove(name);

    /// <summary>Drops every secret, e.g. once the PIN was verified.</summary>
    public void ForgetSecrets()
    {
        foreach (var name in _values.Where(p => p.Value.Secret).Select(p => p.Key).ToList())
        {
            _values.Remove(name);
        }
    }

    /// <summary>
    /// Names with values, secrets as <c>***</c> (not even their length shows).
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder("{");
        foreach (var (name, entry) in _values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (text.Length > 1)
            {
                text.Append(", ");
            }

            text.Append(name).Append('=').Append(entry.Secret ? "***" : entry.Value);
        }

        return text.Append('}').ToString();
    }
}
