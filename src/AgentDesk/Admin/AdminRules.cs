using System.Globalization;

namespace CallCenter.AgentDesk.Admin;

/// <summary>
/// The checks of the admin pages' inputs. Each returns null when the value is fine, else a sentence
/// naming the field; the caller answers 400 with it.
/// </summary>
internal static class AdminRules
{
    public const int MaxExtensionLength = 20;
    public const int MaxNameLength = 64;
    public const int MaxSkills = 32;
    public const int MaxSkillLength = 32;
    public const int MinPasswordLength = 8;

    // As desk sign-in: PBKDF2's cost grows with the input.
    public const int MaxPasswordLength = 256;
    public const int MaxCodeLength = 32;
    public const int MaxLabelLength = 64;
    public const int MaxSortOrder = 1_000_000;

    public static string? Extension(string extension) =>
        extension.Length is > 0 and <= MaxExtensionLength && extension.All(char.IsAsciiDigit)
            ? null
            : Invariant($"extension must be 1 to {MaxExtensionLength} digits.");

    /// <summary>A mobile as the client import takes a manager's phone: 5 to 20 digits, optionally after a '+'; null or empty clears it.</summary>
    public static string? Mobile(string? mobile) =>
        string.IsNullOrEmpty(mobile) || (mobile.TrimStart('+').Length is >= 5 and <= 20 && mobile.TrimStart('+').All(char.IsAsciiDigit) && mobile.LastIndexOf('+') <= 0)
            ? null
            : "mobile must be 5 to 20 digits, optionally after a '+'.";

    /// <summary>One plain address (local@domain, at most 254 characters, no spaces or angle brackets); null or empty clears it.</summary>
    public static string? Email(string? email) =>
        string.IsNullOrEmpty(email) || (email.Length <= 254 && email.Count(c => c == '@') == 1 && email.IndexOf('@') is > 0 && email.IndexOf('@') < email.Length - 3
            && email[(email.IndexOf('@') + 1)..].Contains('.', StringComparison.Ordinal) && !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"'))
            ? null
            : "email must be one address such as name@broker.example.";

    public static string? Name(string? name) =>
        name?.Trim() is { Length: > 0 and <= MaxNameLength }
            ? null
            : Invariant($"name must not be empty and at most {MaxNameLength} characters.");

    /// <summary>Skills are lowercase words (a-z), each at most <see cref="MaxSkillLength"/> letters, at most <see cref="MaxSkills"/> of them.</summary>
    public static string? Skills(IReadOnlyList<string?>? skills)
    {
        if (skills is null)
        {
            return "skills must be a list of lowercase words, e.g. [\"zh\", \"en\", \"stocks\"].";
        }

        if (skills.Count > MaxSkills)
        {
            return Invariant($"skills may name at most {MaxSkills} skills.");
        }

        foreach (var skill in skills)
        {
            if (skill is not { Length: > 0 and <= MaxSkillLength } || !skill.All(char.IsAsciiLetterLower))
            {
                return Invariant($"skills: \"{skill}\" is not a lowercase word (a-z, 1 to {MaxSkillLength} letters).");
            }
        }

        return null;
    }

    /// <summary>Null (keep the password) is fine; a new one must be <see cref="MinPasswordLength"/> to <see cref="MaxPasswordLength"/> characters.</summary>
    public static string? Password(string? password) =>
        password is null || password.Length is >= MinPasswordLength and <= MaxPasswordLength
            ? null
            : Invariant($"password must be {MinPasswordLength} to {MaxPasswordLength} characters.");

    public static string? DispositionCode(string code) =>
        code.Length is > 0 and <= MaxCodeLength && code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? null
            : Invariant($"code must be 1 to {MaxCodeLength} of lowercase letters, digits and '-'.");

    public static string? Label(string field, string? label) =>
        label?.Trim() is { Length: > 0 and <= MaxLabelLength }
            ? null
            : Invariant($"{field} must not be empty and at most {MaxLabelLength} characters.");

    public static string? SortOrder(int sortOrder) =>
        sortOrder is >= 0 and <= MaxSortOrder ? null : Invariant($"sortOrder must be between 0 and {MaxSortOrder}.");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
