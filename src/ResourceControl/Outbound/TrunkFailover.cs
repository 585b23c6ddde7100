using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// When a trunk, not the number, failed a call, pure: the carrier's server error (500, 502, 503, 504:
/// RFC 3261 21.5) or no answer from it at all (our own 408 or 503 after a timeout or a transport error).
/// Such a call is tried on the next trunk; when every trunk failed, a callback is tried again later,
/// never counted against the client. A busy, unknown or refusing number is the client's answer, whatever the trunk.
/// </summary>
internal static class TrunkFailover
{
    public static bool IsTrunkDown(SipResponse final)
    {
        ArgumentNullException.ThrowIfNull(final);
        return final.Synthesized ? final.StatusCode is 408 or 503 : final.StatusCode is 500 or 502 or 503 or 504;
    }

    /// <summary>The reason in words, for the log, the event and the trunk's status; <paramref name="transportFailure"/>: why the transport could not send.</summary>
    public static string Reason(Trunk trunk, SipResponse final, string? transportFailure)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        ArgumentNullException.ThrowIfNull(final);
        return final switch
        {
            { Synthesized: true, StatusCode: 408 } => $"trunk {trunk.Name}: no response from {trunk.Remote}",
            { Synthesized: true } => $"trunk {trunk.Name}: cannot be reached ({transportFailure ?? "connection failed"})",
            _ => $"trunk {trunk.Name}: {final.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)} {final.ReasonPhrase}",
        };
    }
}
