using System.Text;
using MimeKit.Text;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// The text of an HTML body for an agent to read (pure), on MimeKit's HTML tokenizer: the text of the
/// document with a line break for each block and &lt;br&gt;, without scripts, styles or the head, and with
/// runs of white space collapsed as a browser would.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<HtmlTagId> _blocks =
    [
        HtmlTagId.P, HtmlTagId.Div, HtmlTagId.Br, HtmlTagId.LI, HtmlTagId.TR, HtmlTagId.H1, HtmlTagId.H2, HtmlTagId.H3,
        HtmlTagId.H4, HtmlTagId.H5, HtmlTagId.H6, HtmlTagId.Table, HtmlTagId.UL, HtmlTagId.OL, HtmlTagId.BlockQuote, HtmlTagId.HR,
    ];

    private static readonly HashSet<HtmlTagId> _hidden = [HtmlTagId.Script, HtmlTagId.Style, HtmlTagId.Head, HtmlTagId.Title];

    public static string Convert(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        var text = new StringBuilder();
        var hiddenDepth = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when _hidden.Contains(tag.Id):
                    if (!tag.IsEmptyElement)
                    {
                        hiddenDepth = Math.Max(0, hiddenDepth + (tag.IsEndTag ? -1 : 1));
                    }

                    break;
                case HtmlTagToken tag when _blocks.Contains(tag.Id):
                    NewLine(text);
                    break;
                case HtmlDataToken data when hiddenDepth == 0 && token.Kind == HtmlTokenKind.Data:
                    AppendCollapsed(text, data.Data);
                    break;
                default:
                    break;
            }
        }

        return string.Join('\n', text.ToString().Split('\n').Select(l => l.Trim())).Trim();
    }

    private static void NewLine(StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ')
        {
            text.Length--;
        }

        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }
    }

    private static void AppendCollapsed(StringBuilder text, string data)
    {
        foreach (var c in data)
        {
            if (char.IsWhiteSpace(c))
            {
                if (text.Length > 0 && text[^1] is not (' ' or '\n'))
                {
                    text.Append(' ');
                }
            }
            else
            {
                text.Append(c);
            }
        }
    }
}
