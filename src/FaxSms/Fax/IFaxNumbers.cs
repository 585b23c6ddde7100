using System.Net;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// Whether a telephone number can be faxed: the host's outbound trunk and its dial plan answer.
/// Owned here, where a number is checked before anything is queued (<see cref="FaxOutbox"/>, the
/// documents menu); the host's line checks it again before dialling.
/// </summary>
public interface IFaxNumbers
{
    /// <summary>Why <paramref name="number"/> cannot be dialled (no trunk configured, barred, not a valid number), or null when it can.</summary>
    string? Refusal(string number);

    /// <summary>
    /// Why a SIP URI to <paramref name="host"/> may not be faxed to directly, or null: a trunk's address is reached only
    /// through a telephone number and the dial plan, never by a SIP URI that would skip it (barred numbers, calls abroad,
    /// the do-not-call list).
    /// </summary>
    string? HostRefusal(IPAddress host);

    /// <summary>
    /// Whether <paramref name="host"/>:<paramref name="port"/> is the platform's own SIP address (loopback, or the address it
    /// is reached at, on its own SIP port): a SIP URI to its own fax number there is a fax to itself and needs no
    /// <c>Fax:SipHosts</c> entry.
    /// </summary>
    bool IsPlatform(IPAddress host, int port);
}
