namespace CallCenter.Telephony;

/// <summary>The <c>Rtp</c> section: the UDP port range for media, one even/odd pair per call leg (RFC 3550 11).</summary>
public sealed class RtpOptions
{
    public const string Section = "Rtp";

    public int PortMin { get; set; } = 20000;

    public int PortMax { get; set; } = 29999;

    /// <summary>
    /// How many ended legs' socket pairs stay bound for the next legs (0: every pair is closed when
    /// its leg ends). A pair rests at least <see cref="Rtp.RtpPortAllocator.MinimumRest"/> before it
    /// is handed out again while the range has unused ports.
    /// </summary>
    public int RestingPairs { get; set; } = 4096;

    public IEnumerable<string> Validate()
    {
        if (PortMin is < 1024 or > 65534 || PortMax is < 1025 or > 65535 || PortMax - PortMin < 1)
        {
            yield return $"Rtp:PortMin ({PortMin}) and Rtp:PortMax ({PortMax}) must give a range of at least one port pair within 1024-65535.";
        }

        if (RestingPairs is < 0 or > 32768)
        {
            yield return $"Rtp:RestingPairs ({RestingPairs}) must be 0-32768 (socket pairs kept bound between calls; 0 closes each pair when its leg ends).";
        }
    }
}
