namespace CallCenter.FaxSms.Fax;

/// <summary>
/// What a T.30 session ended with (phase E, or a hang-up before it): the pages that went across,
/// the image bit rate last used, whether ECM was on, and spandsp's completion code and its text
/// (0 is success; t30.h lists the rest, e.g. 48 "The call dropped prematurely"). <see cref="BadRows"/>:
/// the pixel rows spandsp's T.4 decoder found damaged, over every page as each page ended (phase D) —
/// a page that came through a noisy line without ECM is kept, but not whole, and this says so.
/// </summary>
public sealed record FaxResult(bool Succeeded, int Pages, int BitRate, bool Ecm, int Code, string Text, int BadRows = 0)
{
    /// <summary>The result as the fax's row and its mail say it: spandsp's text, and the damaged rows when there were any.</summary>
    public string Summary => BadRows > 0 ? $"{Text}; {BadRows} damaged pixel rows" : Text;

    /// <summary>spandsp's T30_ERR_OK.</summary>
    public const int Ok = 0;
}
