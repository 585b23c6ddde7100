namespace CallCenter.Telephony.Sip.Auth;

/// <summary>The digest hash algorithms this stack verifies (RFC 8760 brings RFC 7616's SHA-256 to SIP).</summary>
public enum SipDigestAlgorithm
{
    /// <summary>"MD5", the RFC 2617 / RFC 3261 22.4 default when a request names no algorithm.</summary>
    Md5,

    /// <summary>"SHA-256" (RFC 7616 3.2, RFC 8760 2.2).</summary>
    Sha256,
}
