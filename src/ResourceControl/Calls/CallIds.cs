namespace CallCenter.ResourceControl.Calls;

/// <summary>The platform's call ids: sortable by start and unique without coordination (milliseconds since the epoch, then random bits).</summary>
internal static class CallIds
{
    public static string New(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Span<byte> random = stackalloc byte[5];
        Telephony.RandomBytes.Fill(random);
        return time.GetUtcNow().ToUnixTimeMilliseconds().ToString("x11", System.Globalization.CultureInfo.InvariantCulture)
            + "-" + Convert.ToHexStringLower(random);
    }
}
