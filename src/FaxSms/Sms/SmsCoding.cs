namespace CallCenter.FaxSms.Sms;

/// <summary>
/// Which data coding an SMS needs (pure). Text that the GSM 03.38 default alphabet holds goes as
/// 7-bit (coding 0, 160 characters a part); anything else, Chinese above all, as UCS-2 (coding 2,
/// 70 characters a part). 3GPP TS 23.038 section 6.2.1.
/// </summary>
public static class SmsCoding
{
    public const int Gsm7 = 0;
    public const int Ucs2 = 2;

    // The GSM 7-bit default alphabet and its extension table (which costs two septets, still 7-bit).
    private const string GsmAlphabet =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà" +
        "^{}\\[~]|€\f";

    public static int For(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (!GsmAlphabet.Contains(c, StringComparison.Ordinal))
            {
                return Ucs2;
            }
        }

        return Gsm7;
    }

    /// <summary>How many parts the text takes once split with a concatenation UDH (153 septets or 67 UCS-2 characters a part).</summary>
    public static int Parts(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (For(text) == Ucs2)
        {
            var units = text.Length;
            return units <= 70 ? 1 : (units + 66) / 67;
        }

        var septets = text.Sum(c => "^{}\\[~]|€\f".Contains(c, StringComparison.Ordinal) ? 2 : 1);
        return septets <= 160 ? 1 : (septets + 152) / 153;
    }
}
