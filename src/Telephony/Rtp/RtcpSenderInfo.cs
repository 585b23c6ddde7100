namespace CallCenter.Telephony.Rtp;

/// <summary>
/// The sender info of an SR (RFC 3550 6.4.1): the wallclock (64-bit NTP format) and the RTP
/// timestamp of the same instant, and the packets and payload octets sent since this SSRC began.
/// </summary>
public readonly record struct RtcpSenderInfo(ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount);
