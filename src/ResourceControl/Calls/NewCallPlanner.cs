namespace CallCenter.ResourceControl.Calls;

/// <summary>A new INVITE refused: its status, the Warning that says why (RFC 3261 20.43) and the Retry-After (20.33), when any.</summary>
internal sealed record NewCallRefusal(int Status, string? Warning = null, string? RetryAfter = null);

/// <summary>
/// Whether a new INVITE becomes a call, pure, in the order the checks must run: a platform that is
/// stopping takes no call (503, come back in 30 s); a number that is no hotline is 404; an offer
/// without a G.711 codec, in the other address family than our media, or with SRTP we cannot do is
/// 488 with the reason (RFC 3264); a source over its share is 503 (RFC 3261 21.5.4); no free RTP
/// port is 503 for a moment. Null: answer the call.
/// </summary>
internal static class NewCallPlanner
{
    public const string NoUsableCodecWarning = "304 callcenter \"offer PCMU or PCMA in application/sdp\"";

    /// <param name="usableOffer">The INVITE has an SDP offer with a codec we answer.</param>
    /// <param name="addressFamilyRefusal">The warning when the offer's c= line is in the other family, else null.</param>
    /// <param name="srtpRefusal">The warning when the offer's SRTP cannot be met, else null.</param>
    public static NewCallRefusal? Refusal(bool stopping, bool knownHotline, bool usableOffer, string? addressFamilyRefusal, string? srtpRefusal)
    {
        if (stopping)
        {
            return new NewCallRefusal(503, RetryAfter: "30");
        }

        if (!knownHotline)
        {
            return new NewCallRefusal(404);
        }

        if (!usableOffer)
        {
            return new NewCallRefusal(488, NoUsableCodecWarning);
        }

        return addressFamilyRefusal is not null ? new NewCallRefusal(488, addressFamilyRefusal)
            : srtpRefusal is not null ? new NewCallRefusal(488, srtpRefusal)
            : null;
    }

    /// <summary>A source over its share: 503, longer for calls in progress than for a burst of attempts.</summary>
    public static NewCallRefusal? Admission(AdmissionVerdict verdict) => verdict switch
    {
        AdmissionVerdict.Admitted => null,
        AdmissionVerdict.TooManyInProgress => new NewCallRefusal(503, RetryAfter: "30"),
        _ => new NewCallRefusal(503, RetryAfter: "60"),
    };

    /// <summary>Every RTP port is taken: the caller may try again in a moment.</summary>
    public static NewCallRefusal NoMediaPorts { get; } = new(503, RetryAfter: "5");
}
