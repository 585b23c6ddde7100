namespace CallCenter.ResourceControl.Calls;

/// <summary>The platform's call ids: sortable by start and unique without coordination (milliseconds since the epoch, then random bits).</summary>
internal static class CallIds
{
    public static string New(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.GetUtcNow().ToUnixTimeMilliseconds().ToString("x11", System.Globalization.CultureInfo.InvariantCulture)
            + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));
    }
}
