using CallCenter.Telephony.Codecs;

namespace CallCenter.Telephony.Rtp;

/// <summary>What a leg sends and accepts, as negotiated in SDP: the G.711 payload type and law, and telephone-events.</summary>
public sealed record RtpMediaFormat(int PayloadType, G711Law Law, int? TelephoneEventPayloadType);
