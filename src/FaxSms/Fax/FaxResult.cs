namespace CallCenter.FaxSms.Fax;

/// <summary>
/// What a T.30 session ended with (phase E, or a hang-up before it): the pages that went across,
/// the image bit rate last used, whether ECM was on, and spandsp's completion code and its text
/// (0 is success; t30.h lists the rest, e.g. 48 "The call dropped prematurely").
/// </summary>
public sealed record FaxResult(bool Succeeded, int Pages, int BitRate, bool Ecm, int Code, string Text)
{
    /// <summary>spandsp's T30_ERR_OK.</summary>
    public const int Ok = 0;
}
