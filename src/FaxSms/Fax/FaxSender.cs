namespace CallCenter.FaxSms.Fax;

/// <summary>
/// A received fax's sender as the platform keeps and shows it. The SIP user part a caller sends is
/// %-decoded and may carry any text (words for the mail's subject, line breaks for the logs, a path for
/// the attachment's name): only a number of <c>[0-9+]{1,32}</c> is kept, anything else is no number
/// (shown "unknown"). A number from a caller that is not verified (not a trusted peer, or one marked
/// unverified) is only a claim and is shown with "(unverified)".
/// </summary>
public static class FaxSender
{
    /// <summary>What is shown for a sender without a usable number.</summary>
    public const string Unknown = "unknown";

    /// <summary><paramref name="caller"/> when it is a number (<c>[0-9+]{1,32}</c>), otherwise "".</summary>
    public static string Clean(string? caller) =>
        caller is { Length: > 0 and <= 32 } && caller.All(c => c is (>= '0' and <= '9') or '+') ? caller : "";

    /// <summary>The sender in a file name: the number, or "unknown".</summary>
    public static string ForFileName(string? caller) => Clean(caller) is { Length: > 0 } number ? number : Unknown;

    /// <summary>The sender as a person reads it: the number or "unknown", with "(unverified)" when it is only the caller's claim.</summary>
    public static string Shown(string? caller, bool verified) => ForFileName(caller) + (verified ? "" : " (unverified)");
}
