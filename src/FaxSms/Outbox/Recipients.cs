using MimeKit;
using PhoneNumbers;

namespace CallCenter.FaxSms.Outbox;

/// <summary>
/// Checks and normalizes a recipient when a message is created (pure): an SMS number becomes E.164
/// (a number without a country code is read as Chinese, <see cref="DefaultRegion"/>), an e-mail
/// address one mailbox. A bad one is refused with the reason, never stored.
/// </summary>
public static class Recipients
{
    public const string DefaultRegion = "CN";

    private const int MaxLength = 320;

    private static readonly PhoneNumberUtil _phones = PhoneNumberUtil.GetInstance();

    /// <summary>The E.164 form of <paramref name="number"/>, or the reason it is refused.</summary>
    public static (string? Normalized, string? Error) Phone(string? number)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            return (null, "\"to\" must be a phone number.");
        }

        if (number.Length > 32)
        {
            return (null, "\"to\" is too long for a phone number.");
        }

        PhoneNumber parsed;
        try
        {
            parsed = _phones.Parse(number, DefaultRegion);
        }
        catch (NumberParseException e)
        {
            return (null, $"\"{number}\" is not a phone number ({e.ErrorType}).");
        }

        if (!_phones.IsValidNumber(parsed))
        {
            return (null, $"\"{number}\" is not a valid phone number for its country.");
        }

        var type = _phones.GetNumberType(parsed);
        if (type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            return (null, $"\"{number}\" is not a mobile number, so it cannot receive SMS.");
        }

        return (_phones.Format(parsed, PhoneNumberFormat.E164), null);
    }

    /// <summary>One mailbox (<c>a@b.cn</c> or <c>张三 &lt;a@b.cn&gt;</c>) in its stored form, or the reason it is refused.</summary>
    public static (string? Normalized, string? Error) Email(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return (null, "\"to\" must be an e-mail address.");
        }

        if (address.Length > MaxLength || address.Contains('\r', StringComparison.Ordinal) || address.Contains('\n', StringComparison.Ordinal))
        {
            return (null, "\"to\" is not a single e-mail address.");
        }

        if (!MailboxAddress.TryParse(ParserOptions.Default, address, out var mailbox))
        {
            return (null, $"\"{address}\" is not an e-mail address.");
        }

        var at = mailbox.Address.LastIndexOf('@');
        if (at <= 0 || at == mailbox.Address.Length - 1 || !mailbox.Address[(at + 1)..].Contains('.', StringComparison.Ordinal))
        {
            return (null, $"\"{address}\" is not an e-mail address with a domain (name@example.com).");
        }

        return (string.IsNullOrEmpty(mailbox.Name) ? mailbox.Address : mailbox.ToString(), null);
    }
}
