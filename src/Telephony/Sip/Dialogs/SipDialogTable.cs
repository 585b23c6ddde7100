using System.Collections.Concurrent;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Dialogs;

/// <summary>The live dialogs of this UA, found by their id (RFC 3261 12). Thread-safe.</summary>
public sealed class SipDialogTable
{
    private readonly ConcurrentDictionary<SipDialogId, SipDialog> _dialogs = new();

    public int Count => _dialogs.Count;

    public bool TryAdd(SipDialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        return _dialogs.TryAdd(dialog.Id, dialog);
    }

    public bool Remove(SipDialogId id) => _dialogs.TryRemove(id, out _);

    /// <summary>The dialog of an incoming request: To tag = local tag, From tag = remote tag.</summary>
    public SipDialog? FindForRequest(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.CallId is null || request.To?.Tag is not { } local)
        {
            return null;
        }

        return _dialogs.GetValueOrDefault(new SipDialogId(request.CallId, local, request.From?.Tag ?? ""));
    }

    /// <summary>The dialog of a response to our request: From tag = local tag, To tag = remote tag.</summary>
    public SipDialog? FindForResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.CallId is null || response.From?.Tag is not { } local || response.To?.Tag is not { } remote)
        {
            return null;
        }

        return _dialogs.GetValueOrDefault(new SipDialogId(response.CallId, local, remote));
    }

    /// <summary>
    /// Routes an incoming request: outside a dialog (no To tag) both results are null; inside,
    /// the dialog and its UAS checks (<see cref="SipDialog.CheckRemoteRequest"/>); for an unknown
    /// dialog a 481 (RFC 3261 12.2.2), except for ACK, which gets no response.
    /// </summary>
    public (SipDialog? Dialog, SipResponse? Reject) Route(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.To?.Tag is null)
        {
            return (null, null);
        }

        var dialog = FindForRequest(request);
        if (dialog is null)
        {
            return (null, request.Method == SipMethods.Ack ? null : SipMessageBuilder.CreateResponse(request, 481));
        }

        return (dialog, dialog.CheckRemoteRequest(request));
    }
}
