namespace CallCenter.Telephony.Sip.Messages;

/// <summary>One header field as received or to be sent: its long-form name and raw value.</summary>
public readonly record struct SipHeader(string Name, string Value);

/// <summary>
/// The header fields of a message that have no typed property on <see cref="SipMessage"/>, in
/// order. Names compare case-insensitively; compact forms are expanded on the way in
/// (RFC 3261 7.3.3), so <c>Get("Supported")</c> finds a received <c>k:</c>.
/// </summary>
public sealed class SipHeaderList : List<SipHeader>
{
    public void Add(string name, string value) => Add(new SipHeader(SipHeaderNames.LongForm(name), value));

    /// <summary>The first value of the header, or null.</summary>
    public string? Get(string name)
    {
        name = SipHeaderNames.LongForm(name);
        foreach (var h in this)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return h.Value;
            }
        }

        return null;
    }

    /// <summary>Every value of the header, each field line in order (not split at commas).</summary>
    public IEnumerable<string> GetAll(string name)
    {
        name = SipHeaderNames.LongForm(name);
        foreach (var h in this)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                yield return h.Value;
            }
        }
    }

    public bool Contains(string name) => Get(name) is not null;

    /// <summary>Replaces every field of this name with one value.</summary>
    public void Set(string name, string value)
    {
        Remove(name);
        Add(name, value);
    }

    public int Remove(string name)
    {
        name = SipHeaderNames.LongForm(name);
        return RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
    }
}
