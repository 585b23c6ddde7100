namespace CallCenter.Telephony.Rtp;

/// <summary>RTCP packet types (RFC 3550 12.1); others (feedback, XR) pass through as their number.</summary>
public enum RtcpPacketType
{
    SenderReport = 200,
    ReceiverReport = 201,
    SourceDescription = 202,
    Goodbye = 203,
    Application = 204,
}
