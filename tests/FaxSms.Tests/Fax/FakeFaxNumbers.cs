using CallCenter.FaxSms.Fax;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>The host's trunk and dial plan, as the fax room sees them: only <c>dialable</c> numbers go through.</summary>
internal sealed class FakeFaxNumbers(params string[] dialable) : IFaxNumbers
{
    public string? Refusal(string number) => dialable.Contains(number) ? null : "no trunk is configured (a fake)";
}
