using PdfSharp.Fonts;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// PDFsharp's font resolver for the documents: a family named <c>file:</c> + a path is that TrueType
/// file, or a collection's first face (bold and italic simulated by PDFsharp). It holds no state, because PDFsharp keeps one
/// resolver per process and refuses a change once a font was used: whichever font path the
/// configuration names travels in the family name, so tests and the host can use different files.
/// </summary>
internal sealed class DocumentFontResolver : IFontResolver
{
    private const string Prefix = "file:";
    private static readonly Lock _install = new();
    private static bool _installed;

    /// <summary>The family name that draws with the font file at <paramref name="path"/>.</summary>
    public static string FamilyOf(string path) => Prefix + path;

    /// <summary>Makes this PDFsharp's font resolver (once; later calls do nothing).</summary>
    public static void Install()
    {
        lock (_install)
        {
            if (!_installed)
            {
                GlobalFontSettings.FontResolver = new DocumentFontResolver();
                _installed = true;
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        familyName.StartsWith(Prefix, StringComparison.Ordinal) ? new FontResolverInfo(familyName[Prefix.Length..], bold, italic) : null;

    public byte[]? GetFont(string faceName) => File.Exists(faceName) ? DocumentFontFile.Load(faceName) : null;
}
