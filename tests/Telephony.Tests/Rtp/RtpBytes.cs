namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>Hex helpers so packet layouts in tests read field by field.</summary>
internal static class RtpBytes
{
    /// <summary>"80 00 12 34" to bytes; spaces and line breaks are ignored.</summary>
    public static byte[] Hex(string hex) =>
        Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal));
}
