using CallCenter.FaxSms.Fax;
using CallCenter.ResourceControl.Outbound;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The fax room's view of the outbound trunk (<see cref="IFaxNumbers"/>): a telephone number is faxed
/// through the trunk outbound calls use (<see cref="Trunks.First"/>), with the same dial plan as
/// transfers and callbacks (<see cref="DialPlan"/>), or refused with the reason when no trunk is
/// configured or the plan refuses the number. It reads only the trunks' public surface, so the trunks
/// may change beneath it (failover, registration) without the fax code changing.
/// </summary>
internal sealed class FaxTrunk(Trunks trunks, DialingOptions dialing) : IFaxNumbers
{
    public string? Refusal(string number) => Route(number).Refusal;

    /// <summary>The trunk and the number as it dials it, or the reason it cannot be dialled.</summary>
    public (Trunk? Trunk, DialableNumber? Number, string? Refusal) Route(string number)
    {
        if (trunks.First is not { } trunk)
        {
            return (null, null, "no trunk is configured (Trunks:0:Address), so the platform cannot dial a telephone number");
        }

        var (dialable, refusal) = DialPlan.Normalize(number, dialing);
        return dialable is null ? (null, null, refusal!.Reason) : (trunk, dialable, null);
    }
}
