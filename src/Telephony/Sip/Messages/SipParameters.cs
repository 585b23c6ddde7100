namespace CallCenter.Telephony.Sip.Messages;

/// <summary>
/// Ordered <c>;name=value</c> parameters of a URI, Via or name-addr (RFC 3261 25.1).
/// Names compare case-insensitively; a parameter without a value has a null value.
/// </summary>
public sealed class SipParameters : List<KeyValuePair<string, string?>>
{
    public SipParameters()
    {
    }

    public SipParameters(IEnumerable<KeyValuePair<string, string?>> items) : base(items)
    {
    }

    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>The value of <paramref name="name"/>, or null when absent or valueless.</summary>
    public string? Get(string name)
    {
        var i = IndexOf(name);
        return i < 0 ? null : this[i].Value;
    }

    /// <summary>Replaces the parameter's value, or appends it when absent.</summary>
    public void Set(string name, string? value)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            Add(new(name, value));
        }
        else
        {
            this[i] = new(this[i].Key, value);
        }
    }

    public bool Remove(string name)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            return false;
        }

        RemoveAt(i);
        return true;
    }

    public int IndexOf(string name)
    {
        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(this[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    public SipParameters Clone() => new(this);
}
