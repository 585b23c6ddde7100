namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>
/// A bound on every length the parser reads, so a hostile peer cannot make it allocate or loop
/// without bound. The defaults fit any sane SIP message (RFC 3261 18.1.1 keeps UDP below 64 KiB).
/// </summary>
public sealed record SipParserLimits
{
    public static SipParserLimits Default { get; } = new();

    /// <summary>Start line, headers and body together.</summary>
    public int MaxMessageBytes { get; init; } = 65536;

    /// <summary>Header fields (a folded field counts once).</summary>
    public int MaxHeaderCount { get; init; } = 200;

    /// <summary>One physical line, and one header value after folding.</summary>
    public int MaxLineBytes { get; init; } = 8192;

    /// <summary>Parameters of one URI, Via or name-addr.</summary>
    public int MaxParameters { get; init; } = 64;

    /// <summary>Via, Contact, Route and Record-Route values in one message, each kind counted apart.</summary>
    public int MaxListItems { get; init; } = 128;
}
