namespace CallCenter.FaxSms.Fax;

/// <summary>
/// How a <see cref="FaxSession"/> runs: which side of the call it is (<see cref="Calling"/>: the
/// caller sends CNG, the answerer CED and the first DIS), and either the TIFF-F file to send or
/// the file to write the received pages to.
/// </summary>
public sealed record FaxSessionOptions
{
    /// <summary>True for the side that placed the call.</summary>
    public required bool Calling { get; init; }

    /// <summary>A TIFF-F file to send; null to receive.</summary>
    public string? SendFile { get; init; }

    /// <summary>The first page of <see cref="SendFile"/> to send, from 0: a retry starts after the pages already sent.</summary>
    public int StartPage { get; init; }

    /// <summary>Where received pages are written as TIFF-F; required when <see cref="SendFile"/> is null.</summary>
    public string? ReceiveFile { get; init; }

    /// <summary>Our T.30 identity (TSI when sending, CSI when receiving): 20 characters at most.</summary>
    public string Ident { get; init; } = "";

    /// <summary>Error correcting mode (T.30 Annex A).</summary>
    public bool Ecm { get; init; } = true;

    /// <summary>Image modems offered: V.17 (14,400) down to V.29 and V.27ter (2,400) by default.</summary>
    public FaxModems Modems { get; init; } = FaxModems.V17 | FaxModems.V29 | FaxModems.V27ter;

    /// <summary>A name for the session's log lines (the call's id).</summary>
    public string Name { get; init; } = "fax";
}

/// <summary>The image modems of T.30, as t30.h numbers them.</summary>
[Flags]
public enum FaxModems
{
    None = 0,
    V27ter = 0x01,
    V29 = 0x02,
    V17 = 0x04,
}
