using CallCenter.Data.Callbacks;
using CallCenter.Data.Catalog;
using CallCenter.FaxSms.Broadcasts;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// The shell around <see cref="OutboundCheck"/> and this node's owner of the do-not-call list: the list
/// is read into memory at start-up, changed here through <see cref="AddAsync"/> and
/// <see cref="RemoveAsync"/> (the row first, then the set), and read again from the database every
/// <see cref="OutboundOptions.DoNotCallRefreshSeconds"/> (<see cref="RefreshAsync"/>), since other nodes
/// sharing the database change it too. The check before an INVITE never waits for the database. A
/// failed read keeps the last list (logged). A risk notice that goes in quiet hours is logged as such.
/// </summary>
/// <remarks>
/// It also holds the clients' own calling hours (<c>clients.call_hours</c>, from <paramref name="clientHours"/>; none
/// without it): the clients that have some, read at start and again every <see cref="ClientHoursRefresh"/>, keyed by the
/// client's phone as the directory has it, which is the dialled form (<see cref="DialableNumber.Dial"/>) the callback's
/// pop also looks the client up by. <see cref="WaitUntil"/> answers from memory (a callback entering its queue);
/// <see cref="CheckAsync"/> asks the database for the one client (the calls the platform places). An inbound call never
/// reads them.
/// </remarks>
internal sealed partial class OutboundRules(
    IDoNotCallStore store, DialingOptions dialing, OutboundOptions options, TimeProvider time, ILogger<OutboundRules> logger, IClientHoursStore? clientHours = null)
    : IDisposable
{
    /// <summary>How often the clients' calling hours are read again (they change through the client import, on any node).</summary>
    internal static readonly TimeSpan ClientHoursRefresh = TimeSpan.FromSeconds(30);

    private ITimer? _clientHoursTick;
    private int _clientHoursReading;
    private int _clientHoursFailures;
    private Dictionary<string, ClientCallHours> _clientHours = new(StringComparer.Ordinal); // the client's phone (dialled form) → their hours

    private readonly Lock _gate = new();
    private readonly TimeSpan _refreshEvery = TimeSpan.FromSeconds(Math.Max(1, options.DoNotCallRefreshSeconds));
    private ITimer? _refreshTick;
    private int _refreshing; // one read at a time: a slow database never stacks reads up
    private int _failedReads; // in a row, for the log: the first one warns, the recovery says how many

    // One change of the list at a time, row and set together: an add and a remove of the same number
    // crossing (the row added, the row removed, the set cleared, then the set filled) would otherwise
    // leave the set calling a number the database no longer lists, or the reverse, until a restart.
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly QuietHours _quiet = options.Quiet();
    private Dictionary<string, string> _doNotCall = new(StringComparer.Ordinal); // E.164 → reason

    public QuietHours Quiet => _quiet;

    /// <summary>Reads the list (a failure here fails the start: no call goes out unchecked) and starts its periodic read.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReadAsync(cancellationToken);
        _refreshTick ??= time.CreateTimer(static s => _ = ((OutboundRules)s!).RefreshTickAsync(), this, _refreshEvery, _refreshEvery);
        if (clientHours is not null)
        {
            await ReadClientHoursAsync(cancellationToken);
            _clientHoursTick ??= time.CreateTimer(static s => _ = ((OutboundRules)s!).ClientHoursTickAsync(), this, ClientHoursRefresh, ClientHoursRefresh);
        }
    }

    /// <summary>
    /// Reads the clients' calling hours again (only the clients that have some) and puts them in place at once. False when
    /// the read failed or took longer than a refresh: the last hours read are kept (logged, a warning for the first of a run).
    /// </summary>
    internal async Task<bool> RefreshClientHoursAsync(CancellationToken cancellationToken = default)
    {
        if (clientHours is null)
        {
            return true;
        }

        using var deadline = new CancellationTokenSource(ClientHoursRefresh, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var count = await ReadClientHoursAsync(either.Token);
            if (Interlocked.Exchange(ref _clientHoursFailures, 0) is > 0 and var failed)
            {
                LogClientHoursRecovered(logger, failed, count);
            }

            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (Interlocked.Increment(ref _clientHoursFailures) == 1)
            {
                LogClientHoursReadFailed(logger, e);
            }

            return false;
        }
    }

    private async Task<int> ReadClientHoursAsync(CancellationToken cancellationToken)
    {
        var rows = await clientHours!.ListAsync(cancellationToken);
        var fresh = new Dictionary<string, ClientCallHours>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (Hours(row.Phone, row.CallHours) is { } hours)
            {
                fresh[row.Phone] = hours;
            }
        }

        lock (_gate)
        {
            _clientHours = fresh;
        }

        return fresh.Count;
    }

    /// <summary>The stored value as hours; one not written by the import (the table changed by hand) is ignored, with a warning.</summary>
    private ClientCallHours? Hours(string phone, string? stored)
    {
        var (hours, error) = ClientCallHours.Parse(stored);
        if (error is not null)
        {
            LogClientHoursUnreadable(logger, phone, stored!, error);
        }

        return hours;
    }

    private async Task ClientHoursTickAsync()
    {
        if (Interlocked.Exchange(ref _clientHoursReading, 1) == 1)
        {
            return;
        }

        try
        {
            await RefreshClientHoursAsync(); // never throws: a failure is logged and the last hours kept
        }
        finally
        {
            Volatile.Write(ref _clientHoursReading, 0);
        }
    }

    /// <summary>The client's own calling hours as this node holds them (<paramref name="dial"/>: the dialled form), or null.</summary>
    public ClientCallHours? ClientHours(string dial)
    {
        lock (_gate)
        {
            return _clientHours.GetValueOrDefault(dial);
        }
    }

    /// <summary>
    /// When a call to <paramref name="dial"/> (the dialled form) meant for <paramref name="at"/> may ring, by the platform's
    /// calling hours and the client's own as this node holds them: null when it may at <paramref name="at"/>, else the first
    /// moment both allow (the platform's calling hours alone when the two never meet). A risk notice never waits.
    /// </summary>
    public DateTimeOffset? WaitUntil(string dial, bool riskNotice, DateTimeOffset at)
    {
        var client = ClientHours(dial);
        if (riskNotice || OutboundCheck.Allows(_quiet, client, at))
        {
            return null;
        }

        return OutboundCheck.NextAllowed(_quiet, client, at) is { } both
            ? both
            : _quiet.IsQuiet(at) ? _quiet.NextAllowed(at) : null;
    }

    /// <summary>
    /// Reads the list again from the database and puts it in place of the set at once (under <see cref="_changes"/>, so an
    /// add or removal made here meanwhile is never undone by an older read). False when the read failed or took longer than
    /// the refresh period: the last list is kept and the failure logged (a warning for the first of a run).
    /// </summary>
    internal async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        using var deadline = new CancellationTokenSource(_refreshEvery, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var (added, removed, count) = await ReadAsync(either.Token);
            var failed = Interlocked.Exchange(ref _failedReads, 0);
            if (failed > 0)
            {
                LogRefreshRecovered(logger, failed, count);
            }

            if (added + removed > 0)
            {
                LogChangedElsewhere(logger, added, removed, count);
            }

            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var failures = Interlocked.Increment(ref _failedReads);
            if (failures == 1)
            {
                LogRefreshFailed(logger, e, DoNotCallCount);
            }
            else
            {
                LogRefreshStillFailing(logger, failures, e.Message);
            }

            return false;
        }
    }

    private int DoNotCallCount
    {
        get
        {
            lock (_gate)
            {
                return _doNotCall.Count;
            }
        }
    }

    /// <summary>The list from the store in place of the set: the numbers added and removed by the read, and how many there are now.</summary>
    private async Task<(int Added, int Removed, int Count)> ReadAsync(CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            var rows = await store.ListAsync(cancellationToken);
            var fresh = new Dictionary<string, string>(rows.Count, StringComparer.Ordinal);
            foreach (var row in rows)
            {
                fresh[row.Number] = row.Reason;
            }

            lock (_gate)
            {
                var added = fresh.Keys.Count(n => !_doNotCall.ContainsKey(n));
                var removed = _doNotCall.Keys.Count(n => !fresh.ContainsKey(n));
                _doNotCall = fresh;
                return (added, removed, fresh.Count);
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task RefreshTickAsync()
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1)
        {
            return;
        }

        try
        {
            await RefreshAsync(); // never throws: a failure is logged and the last list kept
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    // The semaphore is left to the collector: a read still under way at shutdown must not fail on it.
    public void Dispose()
    {
        _refreshTick?.Dispose();
        _clientHoursTick?.Dispose();
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

        return Decide(number, reason, riskNotice, purpose, id);
    }

    /// <summary>
    /// <see cref="Check"/> with the database's word on the list right now (one look-up by the number, within
    /// <see cref="LookupDeadline"/>), for the calls the platform places by itself or from a record (callbacks, list calls,
    /// previews, click-to-dial): a number another node listed a moment ago is refused before the next refresh. A look-up
    /// that fails or is late falls back on the list in memory (logged).
    /// </summary>
    public async Task<OutboundDecision> CheckAsync(DialableNumber number, bool riskNotice, string purpose, string id)
    {
        ArgumentNullException.ThrowIfNull(number);
        var hours = ClientHoursNowAsync(number.Dial, purpose, id); // at the same time as the list's look-up
        string? reason;
        try
        {
            reason = (await WithinLookupDeadlineAsync(token => store.FindAsync(number.E164, token)))?.Reason;
        }
        catch (Exception e)
        {
            reason = DoNotCallReason(number.E164);
            LogLookupFailed(logger, e, purpose, id, reason is null ? "not listed" : "listed");
        }

        return Decide(number, reason, riskNotice, purpose, id, await hours);
    }

    /// <summary>
    /// The client's calling hours as the database has them now (one look-up by the phone, within <see cref="LookupDeadline"/>),
    /// or, when it fails or is late, as this node holds them (logged).
    /// </summary>
    private async Task<ClientCallHours?> ClientHoursNowAsync(string dial, string purpose, string id)
    {
        if (clientHours is null)
        {
            return null;
        }

        try
        {
            // What the database says now is also what this node holds from now on: a callback that waited in memory for
            // hours since changed would otherwise be let into its queue by the old hours and sent back by the new ones,
            // day after day, until a refresh succeeded.
            var fresh = Hours(dial, await WithinLookupDeadlineAsync(token => clientHours.FindAsync(dial, token)));
            lock (_gate)
            {
                if (fresh is null)
                {
                    _clientHours.Remove(dial);
                }
                else
                {
                    _clientHours[dial] = fresh;
                }
            }

            return fresh;
        }
        catch (Exception e)
        {
            var held = ClientHours(dial);
            LogClientHoursLookupFailed(logger, e, purpose, id, held?.ToString() ?? "none");
            return held;
        }
    }

    /// <summary>
    /// One look-up by key, waited for at most <see cref="LookupDeadline"/> (a timeout or the look-up's failure is thrown).
    /// The token asks the provider to stop, which a blocked SQLite command or a lost PostgreSQL connection may not heed
    /// at once: the wait itself is bounded, and a look-up given up on is left to end on its own, observed.
    /// </summary>
    private async Task<T> WithinLookupDeadlineAsync<T>(Func<CancellationToken, Task<T>> find)
    {
        var deadline = new CancellationTokenSource(LookupDeadline, time);
        var lookup = find(deadline.Token);
        _ = lookup.ContinueWith(static (t, d) => { _ = t.Exception; ((CancellationTokenSource)d!).Dispose(); }, deadline, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return await lookup.WaitAsync(LookupDeadline, time);
    }

    /// <summary>How long <see cref="CheckAsync"/> waits for the database before it decides on the list in memory.</summary>
    internal static readonly TimeSpan LookupDeadline = TimeSpan.FromSeconds(1);

    private OutboundDecision Decide(DialableNumber number, string? reason, bool riskNotice, string purpose, string id, ClientCallHours? client = null)
    {
        var decision = OutboundCheck.Decide(number, reason, _quiet, riskNotice, time.GetUtcNow(), client);
        if (decision.ClientHoursIgnored)
        {
            LogClientHoursNeverMeet(logger, purpose, id, number.Dial, client!.ToString(), options.CallingHoursStart, options.CallingHoursEnd);
        }

        if (decision.ClientHoursOverridden)
        {
            LogClientHoursOverridden(logger, purpose, id, number.Dial, client!.ToString());
        }

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

    [LoggerMessage(4125, LogLevel.Warning, "Do-not-call: the list could not be read again from the database; the last list read ({Count} numbers) is kept until a read succeeds")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(4126, LogLevel.Debug, "Do-not-call: {Failures} reads of the list in a row have failed ({Error}); the last list read is kept")]
    private static partial void LogRefreshStillFailing(ILogger logger, int failures, string error);

    [LoggerMessage(4127, LogLevel.Information, "Do-not-call: the list is read again after {Failures} failed reads ({Count} numbers)")]
    private static partial void LogRefreshRecovered(ILogger logger, int failures, int count);

    [LoggerMessage(4129, LogLevel.Warning, "Do-not-call: the database did not answer the look-up before outbound {Purpose} {Id}; decided on the list in memory ({Listed})")]
    private static partial void LogLookupFailed(ILogger logger, Exception exception, string purpose, string id, string listed);

    [LoggerMessage(4165, LogLevel.Warning, "Client calling hours: they could not be read again from the database; the last hours read are kept until a read succeeds")]
    private static partial void LogClientHoursReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(4166, LogLevel.Information, "Client calling hours: read again after {Failures} failed reads ({Count} clients have hours)")]
    private static partial void LogClientHoursRecovered(ILogger logger, int failures, int count);

    [LoggerMessage(4167, LogLevel.Warning, "Client calling hours: the database did not answer the look-up before outbound {Purpose} {Id}; decided on the hours this node holds ({Hours})")]
    private static partial void LogClientHoursLookupFailed(ILogger logger, Exception exception, string purpose, string id, string hours);

    [LoggerMessage(4168, LogLevel.Warning, "Outbound {Purpose} {Id} to {Number} goes outside the client's calling hours ({Hours}): a risk notice overrides them")]
    private static partial void LogClientHoursOverridden(ILogger logger, string purpose, string id, string number, string hours);

    [LoggerMessage(4169, LogLevel.Warning, "Outbound {Purpose} {Id} to {Number}: the client's calling hours {Hours} never meet the platform's ({Start}-{End}); decided on the platform's calling hours alone")]
    private static partial void LogClientHoursNeverMeet(ILogger logger, string purpose, string id, string number, string hours, string start, string end);

    [LoggerMessage(4170, LogLevel.Warning, "Client calling hours: client {Phone}'s stored hours \"{Stored}\" are ignored: they {Error}")]
    private static partial void LogClientHoursUnreadable(ILogger logger, string phone, string stored, string error);

    [LoggerMessage(4128, LogLevel.Information, "Do-not-call: the list read from the database had {Added} numbers added and {Removed} removed elsewhere ({Count} numbers)")]
    private static partial void LogChangedElsewhere(ILogger logger, int added, int removed, int count);
}
