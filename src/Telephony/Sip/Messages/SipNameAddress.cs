namespace CallCenter.Telephony.Sip.Messages;

/// <summary>
/// A name-addr or addr-spec with its header parameters, as in From, To, Contact, Route and
/// Record-Route (RFC 3261 20.10, 25.1). Parameters outside the angle brackets belong here,
/// those inside belong to <see cref="Uri"/> (RFC 4475 3.3.12, 3.3.13).
/// </summary>
public sealed class SipNameAddress
{
    /// <summary>The display name, unquoted and unescaped; null when absent.</summary>
    public string? DisplayName { get; set; }

    public required SipUri Uri { get; set; }

    /// <summary>Header parameters (;tag=, ;expires=, ;q= ...).</summary>
    public SipParameters Parameters { get; init; } = [];

    public string? Tag
    {
        get => Parameters.Get("tag");
        set
        {
            if (value is null)
            {
                Parameters.Remove("tag");
            }
            else
            {
                Parameters.Set("tag", value);
            }
        }
    }

    public SipNameAddress Clone() => new()
    {
        DisplayName = DisplayName,
        Uri = Uri.Clone(),
        Parameters = Parameters.Clone(),
    };

    /// <summary>Always written as name-addr (with angle brackets), quoting the display name.</summary>
    public override string ToString() => SipWriter.Write(this);
}
