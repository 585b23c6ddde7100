using CallCenter.Data.Callbacks;
using CallCenter.FaxSms.Broadcasts;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// The shell around <see cref="OutboundCheck"/> and the one owner of the do-not-call list: the list
/// is read into memory at start-up and changed only through <see cref="AddAsync"/> and
/// <see cref="RemoveAsync"/> (the row first, then the set), so the check before an INVITE never waits
/// for the database. A risk notice that goes in quiet hours is logged as such.
/// </summary>
internal sealed partial class OutboundRules(IDoNotCallStore store, DialingOptions dialing, OutboundOptions options, TimeProvider time, ILogger<OutboundRules> logger)
{
    private readonly Lock _gate = new();

    // One change of the list at a time, row and set together: an add and a remove of the same number
    // crossing (the row added, the row removed, the set cleared, then the set filled) would otherwise
    // leave the set calling a number the database no longer lists, or the reverse, until a restart.
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly QuietHours _quiet = options.Quiet();
    private Dictionary<string, string> _doNotCall = new(StringComparer.Ordinal); // E.164 → reason

    public QuietHours Quiet => _quiet;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var rows = await store.ListAsync(cancellationToken);
        lock (_gate)
        {
            _doNotCall = rows.ToDictionary(r => r.Number, r => r.Reason, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// May <paramref name="number"/> be called now? <paramref name="purpose"/> and <paramref name="id"/>
    /// name the call for the log (a callback's or list entry's id).
    /// </summary>
    public OutboundDecision Check(DialableNumber number, bool riskNotice, string purpose, string id)
    {
        ArgumentNullException.ThrowIfNull(number);
        string? reason;
        lock (_gate)
        {
            reason = _doNotCall.GetValueOrDefault(number.E164);
        }

        var decision = OutboundCheck.Decide(number, reason, _quiet, riskNotice, time.GetUtcNow());
        if (decision.QuietHoursOverridden)
        {
            LogQuietHoursOverridden(logger, purpose, id, number.Dial);
        }
        else if (!decision.Allowed)
        {
            LogBlocked(logger, purpose, id, number.Dial, decision.Reason!);
        }

        return decision;
    }

    /// <summary>The reason <paramref name="e164"/> is on the do-not-call list, or null.</summary>
    public string? DoNotCallReason(string e164)
    {
        lock (_gate)
        {
            return _doNotCall.GetValueOrDefault(e164);
        }
    }

    /// <summary>Puts a number on the list (through the dial plan, so every spelling of it matches); the refusal for a number that is not one.</summary>
    public async Task<(DoNotCallRow? Row, bool Added, string? Refusal)> AddAsync(string typed, string reason, string by, CancellationToken cancellationToken)
    {
        if (Normalize(typed) is not { } number)
        {
            return (null, false, $"\"{typed}\" is not a number the platform could dial (digits, with the area code for a fixed line)");
        }

        var row = new DoNotCallRow(number.E164, reason, by, time.GetUtcNow());
        bool added;
        await _changes.WaitAsync(cancellationToken);
        try
        {
            added = await store.AddAsync(row, cancellationToken);
            lock (_gate)
            {
                _doNotCall[row.Number] = reason;
            }
        }
        finally
        {
            _changes.Release();
        }

        LogAdded(logger, row.Number, by, reason);
        return (row, added, null);
    }

    /// <summary>Takes a number off the list; null when it is not a number, false when it was not on the list.</summary>
    public async Task<bool?> RemoveAsync(string typed, string by, CancellationToken cancellationToken)
    {
        if (Normalize(typed) is not { } number)
        {
            return null;
        }

        bool removed;
        await _changes.WaitAsync(cancellationToken);
        try
        {
            removed = await store.RemoveAsync(number.E164, cancellationToken);
            lock (_gate)
            {
                _doNotCall.Remove(number.E164);
            }
        }
        finally
        {
            _changes.Release();
        }

        if (removed)
        {
            LogRemoved(logger, number.E164, by);
        }

        return removed;
    }

    public Task<IReadOnlyList<DoNotCallRow>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>The number as the list keys on it (E.164), or null when <paramref name="typed"/> is not a number.</summary>
    public string? Listed(string typed) => Normalize(typed)?.E164;

    /// <summary>The number in the form the list keys on: the dial plan's, barred prefixes aside (a barred number may still be listed).</summary>
    private DialableNumber? Normalize(string typed)
    {
        var lenient = new DialingOptions { AreaCode = dialing.AreaCode, AllowInternational = true, Barred = [] };
        return DialPlan.Normalize(typed, lenient).Number;
    }

    [LoggerMessage(7300, LogLevel.Warning, "Outbound {Purpose} {Id} to {Number} goes in quiet hours: a risk notice overrides them")]
    private static partial void LogQuietHoursOverridden(ILogger logger, string purpose, string id, string number);

    [LoggerMessage(7301, LogLevel.Information, "Outbound {Purpose} {Id} to {Number} not dialled: {Reason}")]
    private static partial void LogBlocked(ILogger logger, string purpose, string id, string number, string reason);

    [LoggerMessage(7302, LogLevel.Information, "Do-not-call: {Number} added by {By} ({Reason})")]
    private static partial void LogAdded(ILogger logger, string number, string by, string reason);

    [LoggerMessage(7303, LogLevel.Information, "Do-not-call: {Number} removed by {By}")]
    private static partial void LogRemoved(ILogger logger, string number, string by);
}
