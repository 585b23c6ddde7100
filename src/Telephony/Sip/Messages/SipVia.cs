namespace CallCenter.Telephony.Sip.Messages;

/// <summary>One Via value (RFC 3261 20.42, RFC 3581 for rport).</summary>
public sealed class SipVia
{
    /// <summary>The RFC 3261 branch prefix that marks a globally unique branch (8.1.1.7).</summary>
    public const string MagicCookie = "z9hG4bK";

    /// <summary>"SIP/2.0"; kept as sent.</summary>
    public string Protocol { get; set; } = "SIP/2.0";

    /// <summary>Upper-case transport: UDP, TCP, TLS, SCTP or any other token.</summary>
    public required string Transport { get; set; }

    public required string Host { get; set; }

    public int? Port { get; set; }

    public SipParameters Parameters { get; init; } = [];

    public string? Branch
    {
        get => Parameters.Get("branch");
        set => Parameters.Set("branch", value);
    }

    public string? Received
    {
        get => Parameters.Get("received");
        set => Parameters.Set("received", value);
    }

    /// <summary>True when ;rport is present, with or without a value (RFC 3581 4).</summary>
    public bool HasRPort => Parameters.Contains("rport");

    /// <summary>The value of ;rport=, or null when absent or empty.</summary>
    public int? RPort
    {
        get => int.TryParse(Parameters.Get("rport"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : null;
        set => Parameters.Set("rport", value?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>True when the branch starts with the RFC 3261 magic cookie.</summary>
    public bool IsRfc3261Branch => Branch?.StartsWith(MagicCookie, StringComparison.Ordinal) == true;

    public SipVia Clone() => new()
    {
        Protocol = Protocol,
        Transport = Transport,
        Host = Host,
        Port = Port,
        Parameters = Parameters.Clone(),
    };

    public override string ToString() => SipWriter.Write(this);
}
