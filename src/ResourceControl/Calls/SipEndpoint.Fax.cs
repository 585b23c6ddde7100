using CallCenter.Data.Calls;
using CallCenter.FaxSms.Fax;

namespace CallCenter.ResourceControl.Calls;

/// <summary>The dispatcher's part of a fax call (<see cref="FaxCallKind"/>): start the receiver, hang up when T.30 is done.</summary>
internal sealed partial class SipEndpoint
{
    /// <summary>Instead of a flow: the T.30 receiver on the caller's leg. True when the call is a fax call.</summary>
    private bool StartFax(ActiveCall call)
    {
        if (faxes is null || call.Kind.Start(call) is not CallKindStart.ReceiveFax)
        {
            return false;
        }

        if (!call.Ended && call.Fax is null)
        {
            faxes.StartReceiving(call, e => Post(call, e));
        }

        return true;
    }

    /// <summary>T.30 ended (or ran out of time): the platform hangs up; <see cref="FaxCalls.End"/> stores the pages as the call ends.</summary>
    private Task FaxEndedAsync(ActiveCall call, FaxResult result)
    {
        if (call.Fax is { } fax)
        {
            fax.Result ??= result;
        }

        return HangUpAsync(call, result.Succeeded ? CallDisposition.FaxReceived : CallDisposition.FaxFailed);
    }
}
