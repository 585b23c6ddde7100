using System.Net;
using CallCenter.FaxSms.Fax;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// The host's trunk and dial plan, as the fax room sees them: only <c>dialable</c> numbers go through; the trunk is
/// 198.51.100.7; the platform's own SIP address is loopback (127.0.0.1, ::1) on port 5060.
/// </summary>
internal sealed class FakeFaxNumbers(params string[] dialable) : IFaxNumbers
{
    public static readonly IPAddress TrunkAddress = IPAddress.Parse("198.51.100.7");

    public string? Refusal(string number) => dialable.Contains(number) ? null : "no trunk is configured (a fake)";

    public string? HostRefusal(IPAddress host) => host.Equals(TrunkAddress) ? "that is a trunk's address (a fake)" : null;

    public bool IsPlatform(IPAddress host, int port) => IPAddress.IsLoopback(host) && port == 5060;
}
