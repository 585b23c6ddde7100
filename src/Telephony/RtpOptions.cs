namespace CallCenter.Telephony;

/// <summary>The <c>Rtp</c> section: the UDP port range for media, one even/odd pair per call leg (RFC 3550 11).</summary>
public sealed class RtpOptions
{
    public const string Section = "Rtp";

    public int PortMin { get; set; } = 20000;

    public int PortMax { get; set; } = 29999;

    public IEnumerable<string> Validate()
    {
        if (PortMin is < 1024 or > 65534 || PortMax is < 1025 or > 65535 || PortMax - PortMin < 1)
        {
            yield return $"Rtp:PortMin ({PortMin}) and Rtp:PortMax ({PortMax}) must give a range of at least one port pair within 1024-65535.";
        }
    }
}
