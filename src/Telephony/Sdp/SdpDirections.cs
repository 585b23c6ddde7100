namespace CallCenter.Telephony.Sdp;

/// <summary>Reading, writing and answering <see cref="SdpDirection"/>.</summary>
public static class SdpDirections
{
    /// <summary>The attribute's name as written in SDP ("sendrecv", ...).</summary>
    public static string ToAttribute(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    /// <summary>An attribute line's value as a direction; false for any other attribute.</summary>
    public static bool TryParse(string attribute, out SdpDirection direction)
    {
        direction = attribute switch
        {
            "sendrecv" => SdpDirection.SendRecv,
            "sendonly" => SdpDirection.SendOnly,
            "recvonly" => SdpDirection.RecvOnly,
            "inactive" => SdpDirection.Inactive,
            _ => (SdpDirection)(-1),
        };
        return Enum.IsDefined(direction);
    }

    /// <summary>RFC 3264 6.1: the answer to an offer's direction (sendonly is answered recvonly, and so on).</summary>
    public static SdpDirection Answer(this SdpDirection offered) => offered switch
    {
        SdpDirection.SendOnly => SdpDirection.RecvOnly,
        SdpDirection.RecvOnly => SdpDirection.SendOnly,
        SdpDirection.Inactive => SdpDirection.Inactive,
        _ => SdpDirection.SendRecv,
    };

    /// <summary>The side with this direction sends media.</summary>
    public static bool Sends(this SdpDirection direction) => direction is SdpDirection.SendRecv or SdpDirection.SendOnly;

    /// <summary>An offer with this direction puts the call on hold (RFC 3264 8.4): the offerer stops receiving.</summary>
    public static bool IsHold(this SdpDirection direction) => direction is SdpDirection.SendOnly or SdpDirection.Inactive;
}
