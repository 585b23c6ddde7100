using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>
/// The outcome of one parse. <see cref="Consumed"/> is how many bytes of the input to advance past
/// (0 with <see cref="SipParseStatus.NeedMoreData"/>).
/// </summary>
public readonly record struct SipParseResult(SipParseStatus Status, SipMessage? Message, SipParseError? Error, int Consumed)
{
    internal static SipParseResult NeedMore => new(SipParseStatus.NeedMoreData, null, null, 0);

    internal static SipParseResult Parsed(SipMessage message, int consumed) => new(SipParseStatus.Message, message, null, consumed);

    internal static SipParseResult Reject(SipParseError error, int consumed) => new(SipParseStatus.Rejected, null, error, consumed);

    internal static SipParseResult KeepAlive(int consumed) => new(SipParseStatus.KeepAlive, null, null, consumed);
}
