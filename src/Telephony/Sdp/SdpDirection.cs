namespace CallCenter.Telephony.Sdp;

/// <summary>The direction attribute of an audio stream (RFC 3264 5.1, 6.1): who sends to whom.</summary>
public enum SdpDirection
{
    /// <summary>Both ways; also what a description without a direction attribute means.</summary>
    SendRecv,

    /// <summary>The describer only sends (a phone putting the call on hold).</summary>
    SendOnly,

    /// <summary>The describer only receives.</summary>
    RecvOnly,

    /// <summary>Neither way (hold on both sides).</summary>
    Inactive,
}
