namespace CallCenter.ResourceControl.Outbound;

/// <summary>What kind of number a dialled string is, once normalized.</summary>
public enum NumberKind
{
    /// <summary>A mainland mobile: 1[3-9] and nine more digits.</summary>
    Mobile,

    /// <summary>A mainland fixed line with its area code (010, 02X, or a three-digit code after the 0).</summary>
    Fixed,

    /// <summary>A national service number (400 or 800 and seven more digits).</summary>
    Service,

    /// <summary>Abroad: 00, the country code and the number.</summary>
    International,
}

/// <summary>
/// A number the trunk may dial: <see cref="Dial"/> is what goes in the Request-URI's user part, in the
/// national form mainland carriers take (a mobile as is, a fixed line with its 0 and area code, abroad
/// with 00); <see cref="E164"/> is the same number for records and reports.
/// </summary>
internal sealed record DialableNumber(string Dial, string E164, NumberKind Kind);

/// <summary>
/// A dialled string the dial plan refused, with the reason a person can act on; <paramref name="NotAllowed"/>:
/// a number the platform may not dial (emergency, short code, barred, abroad when not allowed), as against one that is not a number.
/// </summary>
internal sealed record DialRefusal(string Reason, bool NotAllowed = false);

/// <summary>
/// The outbound dial plan, pure: from what an agent typed or a list holds to the number the trunk
/// dials, or a refusal with its reason, decided before any INVITE leaves. Mainland numbers
/// (country code 86): mobiles; fixed lines with their area code, a local number getting the
/// configured <see cref="DialingOptions.AreaCode"/>; 400/800 service numbers. Abroad (00 or +, then the
/// country code) only when <see cref="DialingOptions.AllowInternational"/>. Refused: emergency and other
/// short codes (a hotline's trunk is not how a client reaches 110), special services (12…, and a 1 after
/// the area code: 114, the 168 paid information lines), and any barred
/// prefix (<see cref="DialingOptions.Barred"/>), and anything that is not a phone number.
/// </summary>
internal static class DialPlan
{
    private static readonly string[] _emergency = ["110", "112", "119", "120", "122", "999", "911"];

    public static (DialableNumber? Number, DialRefusal? Refusal) Normalize(string? typed, DialingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = new string((typed ?? "").Where(c => c is not (' ' or '-' or '(' or ')' or '.')).ToArray());
        if (text.Length == 0)
        {
            return Refuse("no number was given");
        }

        var plus = text[0] == '+';
        var digits = plus ? text[1..] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || digits.Length > 20)
        {
            return Refuse($"\"{typed}\" is not a phone number (digits only, an optional leading +)");
        }

        // +86 or 0086: a mainland number in international form.
        if (plus && digits.StartsWith("86", StringComparison.Ordinal))
        {
            return National(digits[2..], typed!, options, fromInternational: true);
        }

        if (!plus && digits.StartsWith("0086", StringComparison.Ordinal))
        {
            return National(digits[4..], typed!, options, fromInternational: true);
        }

        if (plus || digits.StartsWith("00", StringComparison.Ordinal))
        {
            var international = plus ? digits : digits[2..];
            if (!options.AllowInternational)
            {
                return Barred($"{typed}: international calls are not allowed on this platform (Dialing:AllowInternational)");
            }

            // E.164: at most 15 digits with the country code, which never starts with 0.
            if (international.Length is < 7 or > 15 || international[0] == '0')
            {
                return Refuse($"{typed}: not a valid international number (00, the country code, at most 15 digits)");
            }

            return Checked(new DialableNumber("00" + international, "+" + international, NumberKind.International), typed!, options);
        }

        return National(digits, typed!, options, fromInternational: false);
    }

    private static (DialableNumber?, DialRefusal?) National(string digits, string typed, DialingOptions options, bool fromInternational)
    {
        if (_emergency.Contains(digits))
        {
            return Barred($"{typed}: emergency numbers are not dialled through the hotline's trunk");
        }

        // 12xxx: special services (12306, 12345, the 12590 premium voice lines), never a client's number.
        if (digits.Length >= 5 && digits.StartsWith("12", StringComparison.Ordinal))
        {
            return Barred($"{typed}: special service numbers (12…) are not dialled through the trunk");
        }

        // Mobiles: 1[3-9]XXXXXXXXX.
        if (digits.Length == 11 && digits[0] == '1' && digits[1] is >= '3' and <= '9')
        {
            return Checked(new DialableNumber(digits, "+86" + digits, NumberKind.Mobile), typed, options);
        }

        // Service numbers: 400 / 800 and seven digits.
        if (!fromInternational && digits.Length == 10 && (digits.StartsWith("400", StringComparison.Ordinal) || digits.StartsWith("800", StringComparison.Ordinal)))
        {
            return Checked(new DialableNumber(digits, "+86" + digits, NumberKind.Service), typed, options);
        }

        // In international form a fixed line has no trunk 0: +86 21 xxxxxxxx.
        var withZero = fromInternational ? "0" + digits : digits;
        if (withZero.Length > 1 && withZero[0] == '0' && withZero[1] != '0')
        {
            // 010 and 02X have two-digit codes and 8-digit numbers; the rest three-digit codes and 7 or 8.
            var twoDigitArea = withZero[1] is '1' or '2';
            var valid = twoDigitArea ? withZero.Length == 11 : withZero.Length is 11 or 12;
            if (!valid)
            {
                return Refuse($"{typed}: not a valid fixed-line number (0, the area code, then 7 or 8 digits)");
            }

            // A subscriber's number starts 2-9; after the area code a 1 is a special service (114, the 168 paid
            // information lines) and a 0 no number at all.
            var subscriber = withZero[(twoDigitArea ? 3 : 4)..];
            return subscriber[0] switch
            {
                '1' => Barred($"{typed}: after the area code, numbers starting 1 are special services (114, 168 information lines), not subscribers"),
                '0' => Refuse($"{typed}: not a valid fixed-line number (a subscriber's number does not start with 0)"),
                _ => Checked(new DialableNumber(withZero, "+86" + withZero[1..], NumberKind.Fixed), typed, options),
            };
        }

        // A local fixed number without its area code: the platform's own area.
        if (!fromInternational && digits.Length is 7 or 8 && digits[0] is >= '2' and <= '9')
        {
            if (options.AreaCode is not { Length: > 0 } area)
            {
                return Refuse($"{typed}: a local number needs its area code (no Dialing:AreaCode is configured)");
            }

            return National(area + digits, typed, options, fromInternational: false);
        }

        return digits.Length <= 6
            ? Barred($"{typed}: short codes are not dialled through the trunk")
            : Refuse($"{typed}: not a mainland mobile, fixed-line or service number");
    }

    private static (DialableNumber?, DialRefusal?) Checked(DialableNumber number, string typed, DialingOptions options)
    {
        foreach (var prefix in options.Barred)
        {
            if (prefix.Length > 0 && number.Dial.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Barred($"{typed}: numbers starting {prefix} are barred (Dialing:Barred)");
            }
        }

        return (number, null);
    }

    private static (DialableNumber?, DialRefusal?) Refuse(string reason) => (null, new DialRefusal(reason));

    private static (DialableNumber?, DialRefusal?) Barred(string reason) => (null, new DialRefusal(reason, NotAllowed: true));
}
