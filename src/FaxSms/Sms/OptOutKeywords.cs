namespace CallCenter.FaxSms.Sms;

/// <summary>
/// The opt-out keywords (pure): TD (退订's initials, the MIIT convention in China), 退订 and STOP, as the
/// whole message, in any case, with spaces or a closing punctuation mark around them.
/// </summary>
public static class OptOutKeywords
{
    private static readonly string[] _keywords = ["TD", "退订", "STOP", "UNSUBSCRIBE"];

    /// <summary>The keyword the text is, or null.</summary>
    public static string? Match(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var trimmed = text.Trim().TrimEnd('.', '。', '!', '！').Trim();
        return _keywords.FirstOrDefault(k => string.Equals(trimmed, k, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The reply that confirms an opt-out, in Mandarin and English.</summary>
    public const string Confirmation = "您已退订本公司短信服务，此后不再向您发送短信。You have unsubscribed and will receive no more SMS from us.";
}
