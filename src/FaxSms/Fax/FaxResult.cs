namespace CallCenter.FaxSms.Fax;

/// <summary>
/// What a T.30 session ended with (phase E, or a hang-up before it): the pages that went across,
/// the image bit rate last used, whether ECM was on, and spandsp's completion code and its text
/// (0 is success; t30.h lists the rest, e.g. 48 "The call dropped prematurely"). <see cref="BadRows"/>:
/// the pixel rows spandsp's T.4 decoder found damaged, over every page as each page ended (phase D) —
/// a page that came through a noisy line without ECM is kept, but not whole, and this says so.
/// <see cref="Rejections"/>: the times a page was refused (RTN or PIN: its copy quality was too poor), by the receiving
/// machine when sending, by us when receiving; spandsp's sender then retrains lower and sends that page again, or,
/// after the last page, hangs up.
/// </summary>
public sealed record FaxResult(bool Succeeded, int Pages, int BitRate, bool Ecm, int Code, string Text, int BadRows = 0, int Rejections = 0)
{
    /// <summary>spandsp's T30_ERR_OK.</summary>
    public const int Ok = 0;

    /// <summary>
    /// Ours, not spandsp's: T.30 ended "OK" but the receiving machine had refused a page (RTN) that was never confirmed
    /// afterwards (spandsp 0.0.6 answers an RTN to the last page with DCN and reports success).
    /// </summary>
    public const int PageRefused = -2;

    /// <summary>The result as the fax's row and its mail say it: the text, the damaged rows and the pages refused, when there were any.</summary>
    public string Summary
    {
        get
        {
            var text = BadRows > 0 ? $"{Text}; {BadRows} damaged pixel rows" : Text;
            return Rejections > 0 && Code != PageRefused ? $"{text}; a page was refused {Rejections} time(s) (RTN: too many damaged rows)" : text;
        }
    }
}
