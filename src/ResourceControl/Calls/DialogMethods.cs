using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// What each kind of the platform's dialogs takes, for its Allow header (RFC 3261 20.5): in 405s
/// (8.2.1 makes it a must there), in answers to OPTIONS (11.2), in the 2xx to the caller's INVITE
/// and in our INVITEs to agents (13.2.1, 13.3.1.4). REFER is listed only where it is carried out:
/// on an agent's leg, whose phone transfers blind (RFC 3515); the caller's dialog and a
/// supervisor's monitoring leg answer REFER 405.
/// </summary>
internal static class DialogMethods
{
    /// <summary>The caller's dialog and a supervisor's monitoring leg.</summary>
    public static IReadOnlyList<string> WithoutRefer { get; } =
        [SipMethods.Invite, SipMethods.Ack, SipMethods.Bye, SipMethods.Cancel, SipMethods.Options, SipMethods.Info, SipMethods.Update];

    /// <summary>An agent's leg (also a consulted agent's, which becomes the call's agent when the consultation completes).</summary>
    public static IReadOnlyList<string> WithRefer { get; } = [.. WithoutRefer, SipMethods.Refer];

    /// <summary>
    /// Outside a dialog: what a new call would be allowed (the caller's side, so no REFER) and REGISTER.
    /// The validator still lets REFER through to the dialogs that take it.
    /// </summary>
    public static SipUasPolicy OutOfDialog { get; } = SipUasPolicy.Default with
    {
        AllowedMethods = [.. SipUasPolicy.Default.AllowedMethods.Where(m => m != SipMethods.Refer)],
    };

    /// <summary>The Allow header's value for <paramref name="methods"/>.</summary>
    public static string Allow(IReadOnlyList<string> methods) => string.Join(", ", methods);

    /// <summary>A response of <paramref name="transaction"/> carrying Allow: 405 or the 200 to an in-dialog OPTIONS.</summary>
    public static SipResponse WithAllow(SipServerTransaction transaction, int status, IReadOnlyList<string> methods)
    {
        var response = transaction.CreateResponse(status);
        response.Headers.Add(SipHeaderNames.Allow, Allow(methods));
        return response;
    }
}
