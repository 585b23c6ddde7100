namespace CallCenter.Telephony.Dtmf;

/// <summary>
/// One packet of an outgoing telephone event. Every packet of an event carries the event's start
/// as its RTP timestamp (RFC 4733 2.5.1.2); <see cref="SendOffset"/> says when to send it, in RTP
/// timestamp units after that start. Each packet takes the next RTP sequence number.
/// </summary>
public readonly record struct DtmfEventPacket(TelephoneEvent Event, uint SendOffset, bool Marker)
{
    public bool IsEnd => Event.End;

    public void WritePayload(Span<byte> destination) => Event.WriteTo(destination);
}
