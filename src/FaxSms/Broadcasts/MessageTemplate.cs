using System.Text;

namespace CallCenter.FaxSms.Broadcasts;

/// <summary>
/// A broadcast's text with placeholders (pure): <c>{{name}}</c>, <c>{{tier}}</c>, <c>{{manager}}</c>,
/// <c>{{account}}</c>, <c>{{holdings}}</c> (the client's positions, from the back office) and <c>{{date}}</c>, spaces inside the braces allowed. A template naming any
/// other placeholder, or with a brace left open, is refused when it is saved, with where and why,
/// so no client ever gets a text with a hole in it.
/// </summary>
public sealed class MessageTemplate
{
    public static readonly IReadOnlyList<string> Placeholders = ["name", "tier", "manager", "account", "holdings", "date"];

    private readonly IReadOnlyList<(bool IsPlaceholder, string Text)> _parts;

    private MessageTemplate(IReadOnlyList<(bool, string)> parts) => _parts = parts;

    /// <summary>The template, or the reason it is refused.</summary>
    public static (MessageTemplate? Template, string? Error) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "the text is empty");
        }

        var parts = new List<(bool, string)>();
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add((false, text[at..]));
                break;
            }

            if (open > at)
            {
                parts.Add((false, text[at..open]));
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                return (null, $"\"{{{{\" at character {open + 1} is never closed with \"}}}}\"");
            }

            var name = text[(open + 2)..close].Trim();
            if (!Placeholders.Contains(name, StringComparer.Ordinal))
            {
                return (null, $"unknown placeholder \"{{{{{name}}}}}\" at character {open + 1}; known: {string.Join(", ", Placeholders.Select(p => "{{" + p + "}}"))}");
            }

            parts.Add((true, name));
            at = close + 2;
        }

        return (new MessageTemplate(parts), null);
    }

    /// <summary>The placeholders this template uses, in order of first use.</summary>
    public IEnumerable<string> Uses => _parts.Where(p => p.IsPlaceholder).Select(p => p.Text).Distinct();

    /// <summary>The text for one client; a value the client lacks renders empty.</summary>
    public string Render(IReadOnlyDictionary<string, string?> values)
    {
        var text = new StringBuilder();
        foreach (var (isPlaceholder, part) in _parts)
        {
            text.Append(isPlaceholder ? values.GetValueOrDefault(part) ?? "" : part);
        }

        return text.ToString();
    }
}
