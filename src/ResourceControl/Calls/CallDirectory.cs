using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using CallCenter.Telephony.Sip.Dialogs;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The dispatcher's indexes: which call an id, or a dialog (the caller's, an agent's, a supervisor's),
/// belongs to, and the live dialogs that route in-dialog requests (RFC 3261 12.2.2). Read by the SIP
/// receive loops, the ACD's and presence's events and the desk; written by the calls' loops as legs
/// come and go. Thread-safe; it holds no call state of its own beyond the indexes.
/// </summary>
internal sealed class CallDirectory<TCall>
    where TCall : class
{
    private readonly ConcurrentDictionary<SipDialogId, TCall> _byDialog = new();
    private readonly ConcurrentDictionary<string, TCall> _byId = new(StringComparer.Ordinal);
    private readonly SipDialogTable _dialogs = new();

    /// <summary>Calls that are live (added and not yet removed).</summary>
    public int Count => _byId.Count;

    /// <summary>Dialogs that route requests to a call.</summary>
    public int DialogCount => _dialogs.Count;

    /// <summary>The live calls now, for shutdown.</summary>
    public IReadOnlyList<TCall> Snapshot() => [.. _byId.Values];

    /// <summary>A new call, found by its id and by the caller's dialog.</summary>
    public void Add(string callId, SipDialog callerDialog, TCall call)
    {
        ArgumentNullException.ThrowIfNull(callerDialog);
        AddDialog(callerDialog, call);
        _byId[callId] = call;
    }

    /// <summary>A call the platform placed: found by its id; its dialogs join as their legs answer.</summary>
    public void Add(string callId, TCall call) => _byId[callId] = call;

    /// <summary>A further dialog of the call (an agent's or a supervisor's leg that answered).</summary>
    public void AddDialog(SipDialog dialog, TCall call)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        _byDialog[dialog.Id] = call;
        _dialogs.TryAdd(dialog);
    }

    /// <summary>A dialog that ended: its requests get 481 from now on.</summary>
    public void RemoveDialog(SipDialogId id)
    {
        _byDialog.TryRemove(id, out _);
        _dialogs.Remove(id);
    }

    /// <summary>The call ended: its id finds nothing from now on (its dialogs are removed one by one).</summary>
    public void Remove(string callId) => _byId.TryRemove(callId, out _);

    public bool Contains(string callId) => _byId.ContainsKey(callId);

    public bool TryGet(string callId, [MaybeNullWhen(false)] out TCall call) => _byId.TryGetValue(callId, out call);

    public bool TryGetByDialog(SipDialogId id, [MaybeNullWhen(false)] out TCall call) => _byDialog.TryGetValue(id, out call);

    /// <summary>An in-dialog request's dialog and its UAS checks (<see cref="SipDialogTable.Route"/>).</summary>
    public (SipDialog? Dialog, SipResponse? Reject) Route(SipRequest request) => _dialogs.Route(request);

    /// <summary>The dialog an ACK belongs to, or null.</summary>
    public SipDialog? FindDialog(SipRequest request) => _dialogs.FindForRequest(request);
}
