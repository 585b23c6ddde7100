namespace CallCenter.FaxSms.Fax;

/// <summary>The <c>Fax</c> section: the number that answers in fax mode, where faxes are kept, and how sends are retried.</summary>
public sealed class FaxOptions
{
    public const string Section = "Fax";

    /// <summary>The dialed number that answers in fax mode (design: demo <c>95580</c>); empty for none.</summary>
    public string Number { get; set; } = "95580";

    /// <summary>Where received and sent faxes are kept (TIFF-F and PDF, one pair per fax).</summary>
    public string Directory { get; set; } = "faxes";

    /// <summary>Our T.30 identity (CSI/TSI), 20 characters at most; empty for <see cref="Number"/>.</summary>
    public string Ident { get; set; } = "";

    /// <summary><c>fine</c> (204 x 196) or <c>standard</c> (204 x 98) for documents we send.</summary>
    public string Resolution { get; set; } = "fine";

    /// <summary>Error correcting mode (T.30 Annex A), offered both ways.</summary>
    public bool Ecm { get; set; } = true;

    /// <summary>A mailbox each received fax is mailed to as a PDF, through the outbox (needs <c>Mail:Smtp</c>); empty for none.</summary>
    public string MailTo { get; set; } = "";

    /// <summary>
    /// Hotline calls listen for a calling fax's CNG tone (1,100 Hz, 0.5 s on, 3 s off) during the IVR and,
    /// hearing it, receive the fax as a call to <see cref="Number"/> would be.
    /// </summary>
    public bool DetectTone { get; set; } = true;

    /// <summary>Attempts at an outbound fax before it fails for good.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before another attempt after a busy, unanswered or broken fax call.</summary>
    public double RetrySeconds { get; set; } = 60;

    /// <summary>Outbound fax calls under way at once (the outbox worker's claims); a fax to the platform's own number is two calls.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>The longest a fax call may last (a stuck remote is hung up on).</summary>
    public double MaxCallSeconds { get; set; } = 900;

    /// <summary>
    /// The hosts a fax may be sent to by SIP URI (<c>sip:95580@192.0.2.10:5060</c>): IP addresses (any port) or
    /// address:port. Empty by default: a fax goes to a telephone number through the trunk, or to the platform's own
    /// fax number; a SIP URI to any other host is refused (<see cref="FaxSipHosts"/>).
    /// </summary>
    public List<string> SipHosts { get; set; } = [];

    /// <summary>The longest a document's rendering (ghostscript; tiff2pdf for a received fax) may take, wall clock; then it is killed.</summary>
    public int RenderTimeoutSeconds { get; set; } = 60;

    /// <summary>The most CPU time a rendering may use (RLIMIT_CPU).</summary>
    public int RenderCpuSeconds { get; set; } = 30;

    /// <summary>The most address space a rendering may take, in MiB (RLIMIT_AS).</summary>
    public int RenderMemoryMb { get; set; } = 512;

    /// <summary>The largest file a rendering may write, in MiB (RLIMIT_FSIZE): the TIFF-F of a document, the PDF of a received fax.</summary>
    public int RenderMaxOutputMb { get; set; } = 64;

    /// <summary>
    /// How old a claim (an outbound fax "sending", or "rendering" and taken for its render) may grow before any node's
    /// worker takes it back (queued again, or due for its render): its node must have died, since no attempt lasts that
    /// long. An attempt is at most <see cref="MaxCallSeconds"/> on the line after the answer, plus its ringing (60 s) and
    /// the trunks it fails over to first (at most 32 s each); a render is at most <see cref="RenderTimeoutSeconds"/>, plus
    /// its wait for one of <see cref="FaxDocuments.MaxRendersAtOnce"/> render slots. So it must be at least
    /// <see cref="MaxCallSeconds"/> + 600 and at least 10 x <see cref="RenderTimeoutSeconds"/>. The claim's time is the
    /// claiming node's clock, compared with the watching node's: the margin dwarfs the few seconds NTP leaves between them.
    /// </summary>
    public int ClaimTimeoutSeconds { get; set; } = 3600;

    /// <summary>The largest PDF accepted by POST /api/faxes.</summary>
    public int MaxDocumentBytes { get; set; } = 10 * 1024 * 1024;

    public string EffectiveIdent => Ident.Length > 0 ? Ident : Number;

    /// <summary><see cref="SipHosts"/> read (validate first: an entry that is not one allows nothing).</summary>
    public FaxSipHosts ToSipHosts() => FaxSipHosts.Parse(SipHosts);

    /// <summary>The limits a rendering runs under.</summary>
    public FaxRenderLimits ToRenderLimits() => new(
        TimeSpan.FromSeconds(RenderTimeoutSeconds), RenderCpuSeconds, (long)RenderMemoryMb * 1024 * 1024, (long)RenderMaxOutputMb * 1024 * 1024);

    /// <summary><see cref="ClaimTimeoutSeconds"/> as a span.</summary>
    public TimeSpan ClaimTimeout => TimeSpan.FromSeconds(ClaimTimeoutSeconds);

    public FaxResolution ToResolution() => Resolution.Equals("standard", StringComparison.OrdinalIgnoreCase) ? FaxResolution.Standard : FaxResolution.Fine;

    public IEnumerable<string> Validate()
    {
        if (Number.Length > 0 && !Number.All(char.IsAsciiDigit))
        {
            yield return "Fax:Number must be digits (or empty to answer no number in fax mode).";
        }

        if (EffectiveIdent.Length > 20)
        {
            yield return "Fax:Ident must be 20 characters at most (T.30 5.3.6.2.4).";
        }

        if (!Resolution.Equals("fine", StringComparison.OrdinalIgnoreCase) && !Resolution.Equals("standard", StringComparison.OrdinalIgnoreCase))
        {
            yield return "Fax:Resolution must be \"fine\" or \"standard\".";
        }

        if (MailTo.Length > 0 && Outbox.Recipients.Email(MailTo).Error is { } mailError)
        {
            yield return "Fax:MailTo: " + mailError;
        }

        if (string.IsNullOrWhiteSpace(Directory))
        {
            yield return "Fax:Directory must name a folder.";
        }

        if (MaxAttempts < 1 || RetrySeconds < 1 || MaxCallSeconds < 60 || MaxDocumentBytes < 1024)
        {
            yield return "Fax:MaxAttempts must be at least 1, Fax:RetrySeconds at least 1, Fax:MaxCallSeconds at least 60 and Fax:MaxDocumentBytes at least 1024.";
        }

        foreach (var error in FaxSipHosts.Errors(SipHosts))
        {
            yield return error;
        }

        if (RenderTimeoutSeconds is < 1 or > 3600 || RenderCpuSeconds is < 1 or > 3600)
        {
            yield return "Fax:RenderTimeoutSeconds and Fax:RenderCpuSeconds must be 1-3600.";
        }

        if (RenderMemoryMb is < FaxRenderLimits.MinMemoryMb or > 65536 || RenderMaxOutputMb is < 1 or > 4096)
        {
            yield return $"Fax:RenderMemoryMb must be {FaxRenderLimits.MinMemoryMb}-65536 and Fax:RenderMaxOutputMb 1-4096.";
        }

        if (ClaimTimeoutSeconds < MaxCallSeconds + 600 || ClaimTimeoutSeconds < 10L * RenderTimeoutSeconds || ClaimTimeoutSeconds > 7 * 86400)
        {
            yield return "Fax:ClaimTimeoutSeconds must be at least Fax:MaxCallSeconds + 600 (a fax call, its ringing and the trunks it fails over to), "
                + "at least 10 x Fax:RenderTimeoutSeconds (a render and its wait for a render slot), and at most 604800 (a week).";
        }

        if (Concurrency is < 1 or > 500)
        {
            yield return "Fax:Concurrency must be 1-500.";
        }
    }
}
