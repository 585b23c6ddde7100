namespace CallCenter.FaxSms.Documents;

/// <summary>
/// Breaks a paragraph into lines no wider than a width, as measured by the caller (pure: the PDF
/// writer passes its font's measure, the tests a fixed one). Latin text breaks at spaces; Chinese
/// has none, so a line may also break before or after any CJK character, except before closing
/// punctuation (，。：；、）」 and the like must not start a line). A word wider than the line is cut.
/// </summary>
public static class TextWrap
{
    public static IReadOnlyList<string> Lines(string text, double width, Func<string, double> measure)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(measure);
        var lines = new List<string>();
        var rest = text.TrimEnd();
        while (rest.Length > 0 && measure(rest) > width)
        {
            var cut = Cut(rest, width, measure);
            lines.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        lines.Add(rest);
        return lines;
    }

    /// <summary>True for the characters of Chinese, Japanese and Korean text and their full-width punctuation.</summary>
    public static bool IsCjk(char c) =>
        c is (>= '\u2E80' and <= '\u9FFF') or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFF00' and <= '\uFFEF');

    // The longest prefix that fits, ending at a break opportunity when there is one (at least one character).
    private static int Cut(string text, double width, Func<string, double> measure)
    {
        var fits = 1;
        while (fits < text.Length && measure(text[..(fits + 1)]) <= width)
        {
            fits++;
        }

        for (var i = fits; i > 0; i--)
        {
            if (CanBreakBefore(text, i))
            {
                return i;
            }
        }

        return fits;
    }

    private static bool CanBreakBefore(string text, int i)
    {
        if (i >= text.Length)
        {
            return true;
        }

        var before = text[i - 1];
        var after = text[i];
        if (after == ' ' || before == ' ')
        {
            return true;
        }

        return (IsCjk(before) || IsCjk(after)) && !IsClosing(after) && !IsOpening(before);
    }

    private static bool IsClosing(char c) => "，。、：；！？）」』》】”’,.:;!?)".Contains(c, StringComparison.Ordinal);

    private static bool IsOpening(char c) => "（「『《【“‘(".Contains(c, StringComparison.Ordinal);
}
