using System.Globalization;
using CallCenter.Ivr.Prompts;

namespace CallCenter.Ivr.Say;

/// <summary>
/// Pure functions that turn values into the prompt fragments that speak them, in the session
/// language ("zh" or "en"). The host can also use them for queue announcements.
/// </summary>
public static class IvrSay
{
    /// <summary>The longest digit string spoken digit by digit.</summary>
    public const int MaxDigits = 64;

    /// <summary>The largest number (and the largest whole-yuan amount) spoken.</summary>
    public const long MaxNumber = MandarinSay.MaxNumber;

    public static IReadOnlyList<IvrPrompt> Digits(string language, string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (!IsDigits(digits))
        {
            // The text may be a caller's entry: say what is wrong, never echo it.
            throw new ArgumentException($"Expected 1 to {MaxDigits} decimal digits.", nameof(digits));
        }

        return Wrap(language, language == IvrLanguages.English ? EnglishSay.Digits(digits) : MandarinSay.Digits(digits));
    }

    public static IReadOnlyList<IvrPrompt> Number(string language, long value) =>
        Wrap(language, language == IvrLanguages.English ? EnglishSay.Number(value) : MandarinSay.Number(value));

    public static IReadOnlyList<IvrPrompt> Currency(string language, decimal amount) =>
        Wrap(language, language == IvrLanguages.English ? EnglishSay.Currency(amount) : MandarinSay.Currency(amount));

    public static IReadOnlyList<IvrPrompt> Date(string language, DateOnly date) =>
        Wrap(language, language == IvrLanguages.English ? EnglishSay.Date(date) : MandarinSay.Date(date));

    /// <summary>"You are number N in the queue" and, when known, "the estimated wait is M minutes".</summary>
    public static IReadOnlyList<IvrPrompt> QueuePosition(string language, int position, int? estimatedWaitMinutes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        if (estimatedWaitMinutes is { } minutes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(minutes, nameof(estimatedWaitMinutes));
        }

        return Wrap(language, language == IvrLanguages.English
            ? EnglishSay.QueuePosition(position, estimatedWaitMinutes)
            : MandarinSay.QueuePosition(position, estimatedWaitMinutes));
    }

    /// <summary>
    /// Speaks <paramref name="text"/> read as <paramref name="kind"/>: digits "0"-"9", a number
    /// "12345", an amount "12.30", a date "2026-11-22". False when the text does not parse.
    /// </summary>
    public static bool TrySay(string language, IvrSayKind kind, string? text, out IReadOnlyList<IvrPrompt> prompts)
    {
        prompts = [];
        if (text is null || !IvrLanguages.IsSupported(language))
        {
            return false;
        }

        switch (kind)
        {
            case IvrSayKind.Digits when IsDigits(text):
                prompts = Digits(language, text);
                return true;
            case IvrSayKind.Number when TryParseNumber(text, out var number):
                prompts = Number(language, number);
                return true;
            case IvrSayKind.Currency when TryParseAmount(text, out var amount):
                prompts = Currency(language, amount);
                return true;
            case IvrSayKind.Date when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                prompts = Date(language, date);
                return true;
            case IvrSayKind.Prompt when IvrPromptName.IsValid(text):
                prompts = [new IvrPrompt(language, text)];
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether <paramref name="text"/> is something <see cref="TrySay"/> can speak as <paramref name="kind"/>.</summary>
    public static bool CanSay(IvrSayKind kind, string? text) => TrySay(IvrLanguages.Mandarin, kind, text, out _);

    private static bool IsDigits(string text) =>
        text.Length is > 0 and <= MaxDigits && text.All(char.IsAsciiDigit);

    private static bool TryParseNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= MaxNumber;

    private static bool TryParseAmount(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
        && value <= MaxNumber + 0.99m
        && decimal.Round(value, 2) == value;

    private static List<IvrPrompt> Wrap(string language, List<string> names)
    {
        if (!IvrLanguages.IsSupported(language))
        {
            throw new ArgumentException($"Unsupported language '{language}'.", nameof(language));
        }

        return names.ConvertAll(name => new IvrPrompt(language, name));
    }
}
