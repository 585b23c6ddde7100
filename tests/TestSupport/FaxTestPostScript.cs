using System.Globalization;
using System.Text;

namespace CallCenter.TestSupport;

/// <summary>
/// PostScript for fax test documents (ghostscript renders them to PDF or TIFF-F): a light page that
/// crosses a line in a second or two, and dense pages of random words, different for each seed, that
/// take many seconds at 14,400 bit/s, so a test can hang up while one is on the line, and whose ink
/// differs from any other page's.
/// </summary>
public static class FaxTestPostScript
{
    /// <summary>The pages, each drawn on A4, as one PostScript document.</summary>
    public static string Document(params string[] pages) =>
        "%!PS\n<< /PageSize [595 842] >> setpagedevice\n" + string.Concat(pages.Select(p => p + "\nshowpage\n"));

    /// <summary>A title and one more line: little ink, a quick page.</summary>
    public static string Light(string title) =>
        $"/Helvetica findfont 28 scalefont setfont 72 700 moveto ({title}) show 72 650 moveto (Statement of account 880000000001) show";

    /// <summary>A title and <paramref name="lines"/> lines of random words (from <paramref name="seed"/>) in 10-point type.</summary>
    public static string Dense(string title, int lines, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"/Helvetica findfont 24 scalefont setfont 50 790 moveto ({title}) show\n");
        text.Append("/Courier findfont 10 scalefont setfont\n");
        for (var line = 0; line < lines; line++)
        {
            var words = new StringBuilder();
            while (words.Length < 80)
            {
                var length = random.Next(2, 10);
                for (var i = 0; i < length; i++)
                {
                    words.Append((char)(random.Next(2) == 0 ? 'a' + random.Next(26) : 'A' + random.Next(26)));
                }

                words.Append(' ');
            }

            text.Append(CultureInfo.InvariantCulture, $"40 {760 - (line * 12)} moveto ({words.ToString().TrimEnd()}) show\n");
        }

        return text.ToString();
    }
}
