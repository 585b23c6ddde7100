using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sdp;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The shell of every leg the platform rings (<see cref="OutgoingLeg"/>): it carries out the steps
/// <see cref="LegLifecycle"/> decides, on the wire and on the media, in the order the flags say.
/// The kind of leg (an agent's, a consulted agent's, a supervisor's) does its own part around it:
/// presence, the desk, the record's legs, the bridge.
/// </summary>
internal sealed partial class SipEndpoint
{
    /// <summary>
    /// Takes <paramref name="step"/> on <paramref name="leg"/>: ACK the 2xx <paramref name="answer"/>
    /// (the leg's dialog when it joins), CANCEL, BYE (after <paramref name="byeAfter"/>), free the media.
    /// Returns the actions, so the caller does its own part of Join and Refused.
    /// </summary>
    private async Task<LegActions> StepAsync(ActiveCall call, OutgoingLeg leg, LegStep step, SipResponse? answer = null, Task? byeAfter = null)
    {
        var actions = leg.Take(step);
        var dialog = leg.Dialog;
        if ((actions & LegActions.Ack) != 0)
        {
            // RFC 3261 13.2.2.4: every 2xx gets its ACK, even one we then BYE.
            dialog = SipDialog.CreateUac(leg.Invite, answer!);
            await Layer.SendAckAsync(dialog.CreateAck(leg.Invite.CSeq!.Value.Number, leg.Invite), leg.Destination);
            if ((actions & LegActions.Join) != 0)
            {
                leg.Dialog = dialog;
            }
        }

        if ((actions & LegActions.Cancel) != 0)
        {
            SendInBackground(call, $"CANCEL to {leg.Describe()}", SipMessageBuilder.CreateCancel(leg.Invite), leg.Destination);
        }

        if ((actions & LegActions.Bye) != 0 && dialog is not null)
        {
            SendInBackground(call, $"BYE to {leg.Describe()}", dialog.CreateBye(), leg.Destination, byeAfter);
        }

        if ((actions & LegActions.FreeMedia) != 0)
        {
            await leg.Media.DisposeAsync();
        }

        return actions;
    }

}
