namespace CallCenter.Telephony.Rtp;

/// <summary>
/// When to send the next RTCP compound packet (RFC 3550 6.3.1, A.7), simplified: the deterministic
/// interval with the 5 s minimum (2.5 s before the first packet, 6.2), the 25/75 % split between
/// senders and receivers, then randomised by a factor in [0.5, 1.5). Timer reconsideration
/// (6.3.3-6.3.7) is left out because two-party calls do not change membership, and with it the
/// e - 3/2 compensation divisor, which exists only to offset reconsideration.
/// </summary>
public static class RtcpInterval
{
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(5);

    /// <summary>RTCP bandwidth is 5 % of the session bandwidth (RFC 3550 6.2).</summary>
    public const double RtcpBandwidthFraction = 0.05;

    public const double SenderBandwidthFraction = 0.25;

    /// <summary>IPv4 and UDP headers, counted in the average RTCP size (RFC 3550 6.2).</summary>
    public const int UdpIpv4Overhead = 28;

    /// <summary>
    /// The deterministic interval Td (A.7 without randomisation): <paramref name="members"/> and
    /// <paramref name="senders"/> include us; <paramref name="rtcpBandwidth"/> is in octets per
    /// second; <paramref name="averageRtcpSize"/> in octets including UDP/IP headers.
    /// </summary>
    public static TimeSpan Deterministic(int members, int senders, double rtcpBandwidth, bool weSent, double averageRtcpSize, bool initial)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(senders);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rtcpBandwidth);
        var minimum = initial ? Minimum / 2 : Minimum;
        double n = members;

        // A.7: when senders are few, they share 25 % of the bandwidth and receivers the rest.
        if (senders <= members * SenderBandwidthFraction)
        {
            if (weSent)
            {
                rtcpBandwidth *= SenderBandwidthFraction;
                n = senders;
            }
            else
            {
                rtcpBandwidth *= 1 - SenderBandwidthFraction;
                n -= senders;
            }
        }

        var seconds = averageRtcpSize * n / rtcpBandwidth;
        var interval = TimeSpan.FromSeconds(seconds);
        return interval < minimum ? minimum : interval;
    }

    /// <summary>Td times a factor in [0.5, 1.5) from <paramref name="uniform"/> in [0, 1) (6.3.1).</summary>
    public static TimeSpan Randomize(TimeSpan deterministic, double uniform)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(uniform);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(uniform, 1.0);
        return deterministic * (0.5 + uniform);
    }

    /// <summary>Deterministic interval, randomised with <paramref name="random"/>.</summary>
    public static TimeSpan Next(int members, int senders, double rtcpBandwidth, bool weSent, double averageRtcpSize, bool initial, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Randomize(Deterministic(members, senders, rtcpBandwidth, weSent, averageRtcpSize, initial), random.NextDouble());
    }

    /// <summary>avg_rtcp_size = 1/16 * packet_size + 15/16 * avg_rtcp_size (RFC 3550 6.3.3).</summary>
    public static double UpdateAverageSize(double average, int packetSize) => average + ((packetSize - average) / 16);
}
