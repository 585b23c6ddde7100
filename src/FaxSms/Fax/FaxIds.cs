using System.Globalization;
using System.Security.Cryptography;

namespace CallCenter.FaxSms.Fax;

/// <summary>Fax ids: sortable by creation and unique without coordination ("fax-" + milliseconds + random bits).</summary>
public static class FaxIds
{
    public static string New(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return "fax-" + time.GetUtcNow().ToUnixTimeMilliseconds().ToString("x11", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
    }

    /// <summary>An id as <see cref="New"/> makes them: safe to use in a file name.</summary>
    public static bool IsWellFormed(string id) =>
        id.Length is > 4 and <= 40 && id.StartsWith("fax-", StringComparison.Ordinal) && id.AsSpan(4).IndexOfAnyExcept("0123456789abcdef-") < 0;
}
