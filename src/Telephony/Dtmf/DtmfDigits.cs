namespace CallCenter.Telephony.Dtmf;

/// <summary>
/// The sixteen DTMF digits and their RFC 4733 event codes (RFC 4733 3.2, table 1): 0-9 are codes
/// 0-9, '*' is 10, '#' is 11 and A-D are 12-15.
/// </summary>
public static class DtmfDigits
{
    /// <summary>Every digit, indexed by its event code.</summary>
    public const string All = "0123456789*#ABCD";

    /// <summary>The digit for an event code, or false for codes that are not DTMF (16 and up).</summary>
    public static bool TryFromEventCode(int eventCode, out char digit)
    {
        if ((uint)eventCode < (uint)All.Length)
        {
            digit = All[eventCode];
            return true;
        }

        digit = '\0';
        return false;
    }

    /// <summary>The event code of a digit; lower-case a-d are accepted.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a DTMF digit.</exception>
    public static byte ToEventCode(char digit)
    {
        var index = All.IndexOf(char.ToUpperInvariant(digit), StringComparison.Ordinal);
        return index >= 0
            ? (byte)index
            : throw new ArgumentOutOfRangeException(nameof(digit), digit, "Not a DTMF digit (0-9, *, #, A-D).");
    }
}
