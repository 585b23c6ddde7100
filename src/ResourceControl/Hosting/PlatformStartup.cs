using CallCenter.Data;
using CallCenter.Data.Catalog;
using CallCenter.Telephony;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// Start-up in dependency order: database (seed demo data, close what the last run left open; the
/// schema is migrated before by <see cref="DatabaseMigration"/>), media clock, SIP listeners.
/// /health turns 200 only when all three are ready.
/// </summary>
internal sealed partial class PlatformStartup(
    CatalogRepository catalog,
    DbConnectionFactory databaseFactory,
    CallCenter.Data.Calls.CallRecordRepository calls,
    DemoOptions demo,
    RecordingOptions recording,
    SipOptions sip,
    MediaClock clock,
    SipTransport transport,
    Calls.SipEndpoint endpoint,
    Agents.AgentPresence agents,
    PlatformReadiness readiness,
    TimeProvider time,
    CallCenter.Data.Clients.ClientFiguresRepository tierFigures,
    CallCenter.Data.Clients.TierChangeRepository tierChanges,
    BackOffice.BackOfficeOptions backOffice,
    Notices.NoticesDemo noticesDemo,
    Notices.AnnouncementEditor announcements,
    Outbound.CallLists callLists,
    CallCenter.Telephony.Sip.Registrar.SipRegistrar registrar,
    ClusterOptions cluster,
    Records.CallRecordWriter records,
    ILogger<PlatformStartup> logger,
    Cluster.SharedAcd? sharedAcd = null) : IHostedService
{
    // The write-back of what the last run kept, with its tries after the start (set at the start).
    private Records.KeptWriteBack? _keptWriteBack;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (demo.Seed && await catalog.IsEmptyAsync(cancellationToken))
        {
            await DemoData.SeedAsync(catalog, sip.Realm, cancellationToken);
            await DemoData.SeedTierFiguresAsync(tierFigures, tierChanges, time, cancellationToken);
            await FaxSms.Broadcasts.BroadcastDemo.SeedAsync(databaseFactory, time.GetUtcNow(), cancellationToken);
            await FaxSms.Email.Inbound.EmailDemo.SeedAsync(databaseFactory, cancellationToken);
            LogDemoSeeded(logger);
        }

        // The demo's fund accounts and quotes (design.md section 4), also into a database seeded before
        // the back office existed; rows already there are kept.
        if (demo.Seed && backOffice.Provider == BackOffice.BackOfficeOptions.BuiltIn)
        {
            await BackOffice.BackOfficeDemo.SeedAsync(databaseFactory, cancellationToken);
        }

        // The demo's two notices as announcements in both languages (once: a deleted one stays deleted).
        if (demo.Seed)
        {
            await noticesDemo.SeedAsync(announcements, time.GetUtcNow(), cancellationToken);
        }

        // The demo's agents have published passwords, and its trusted peers are loopback: fine on a
        // laptop, not on a network.
        if (demo.Seed && System.Net.IPAddress.TryParse(sip.Address, out var bound) && !System.Net.IPAddress.IsLoopback(bound))
        {
            LogDemoOnNetwork(logger, sip.Address);
        }

        LogDatabaseReady(logger);

        // Recordings a killed process cut get headers that say what they hold, before the calls they
        // belong to are closed (their records point at them, with a checksum of the repaired file).
        var repaired = await Task.Run(() => Records.CutRecordings.RepairAll(recording.Directory, logger), cancellationToken);
        if (repaired > 0)
        {
            LogRecordingsRepaired(logger, repaired);
        }

        // What the last run could not write before it stopped (the database away) goes first: a call's own record closes its
        // open row, where the interrupted close below would otherwise write a record of its own and the real one be dropped.
        // Until it is written (the writer logs why not; it is tried again in the background), the open calls stay open.
        //
        // Calls a stopped process left in progress get their record then, once: what was known of them, ended at the last
        // moment the process was known alive. On a cluster's node that checks its node id (the shared ACD), the calls left
        // open under the node's name may be a live twin's (a second process given the same Cluster:NodeId): they are closed
        // only once the id is confirmed as this process's. Only those that started before this process did are closed when
        // that waits or the write-back finishes after the start: the calls it took meanwhile are its own.
        var startedAt = time.GetUtcNow();
        _keptWriteBack = new Records.KeptWriteBack(
            stopping => records.WriteBackKeptAsync(stopping),
            (afterStart, stopping) =>
            {
                if (sharedAcd is not null)
                {
                    sharedAcd.WhenNodeIdConfirmed(confirmed => CloseInterruptedAsync(startedAt, startedAt, confirmed));
                    return Task.CompletedTask;
                }

                return CloseInterruptedAsync(startedAt, afterStart ? startedAt : null, stopping);
            },
            time,
            logger);
        await _keptWriteBack.StartAsync(cancellationToken);

        // A browser's phone is reached only on the WebSocket it registered over (RFC 7118 5), and the last run's
        // WebSockets ended with it: those bindings go before the agents read theirs, so no agent shows as registered
        // by a browser that is not there. A browser that reconnects registers again. Not on a cluster's node: nodes may
        // share the database, and the other nodes' browsers are still connected (a binding whose WebSocket is gone is
        // never rung anyway: CallLegs asks the transport first).
        var unreachable = cluster.Enabled ? 0 : await registrar.RemoveEarlierWebSocketBindingsAsync(time.GetUtcNow(), cancellationToken);
        if (unreachable > 0)
        {
            LogWebSocketBindingsRemoved(logger, unreachable);
        }

        await agents.StartAsync(cancellationToken);
        readiness.Database = true;

        clock.Start();
        readiness.Media = true;

        await endpoint.StartAsync(cancellationToken);

        // Call lists hear their callbacks' attempts from now on; their deadlines are checked on a tick, and
        // progressive lists are paced to the free agents every second.
        await callLists.StartAsync(cancellationToken);

        // The transport hands messages straight to the transaction layer, which calls the endpoint.
        await transport.StartAsync(endpoint.Layer);
        readiness.Sip = true;
    }

    private async Task CloseInterruptedAsync(DateTimeOffset restartedAt, DateTimeOffset? startedBefore, CancellationToken cancellationToken)
    {
        var interrupted = await calls.CloseInterruptedAsync(restartedAt, id => Records.CutRecordings.Find(recording.Directory, id), cancellationToken, startedBefore);
        if (interrupted.Count > 0)
        {
            LogInterruptedClosed(logger, interrupted.Count);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        readiness.Sip = false;

        // Tries at writing what the last run kept end beside the calls' own stop, not before it.
        var keptStopped = _keptWriteBack?.StopAsync(cancellationToken) ?? Task.CompletedTask;
        await endpoint.StopAsync();
        agents.Stop();
        await transport.DisposeAsync();
        await clock.DisposeAsync();
        await keptStopped;
    }

    [LoggerMessage(2000, LogLevel.Information, "Database ready")]
    private static partial void LogDatabaseReady(ILogger logger);

    [LoggerMessage(2002, LogLevel.Warning, "{Count} calls left in progress by the last run were recorded as interrupted")]
    private static partial void LogInterruptedClosed(ILogger logger, int count);

    [LoggerMessage(2004, LogLevel.Warning, "Demo data is on (Demo:Seed) and SIP listens on {Address}, not only loopback: the demo agents' passwords are published; set Demo:Seed=false and your own agents before this platform is reachable from a network")]
    private static partial void LogDemoOnNetwork(ILogger logger, string address);

    [LoggerMessage(2003, LogLevel.Warning, "{Count} recordings cut by the last run's stop were repaired")]
    private static partial void LogRecordingsRepaired(ILogger logger, int count);

    [LoggerMessage(4400, LogLevel.Information, "{Count} browser phone binding(s) the last run made over its WebSockets removed: those connections ended with it, and the browsers register again when they reconnect")]
    private static partial void LogWebSocketBindingsRemoved(ILogger logger, int count);

    [LoggerMessage(2001, LogLevel.Information, "Demo data seeded: hotlines 95500/95501, agents 1001-1004, supervisor 'super' (for trying the platform out only)")]
    private static partial void LogDemoSeeded(ILogger logger);
}
