using CallCenter.AgentDesk;
using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Data.Events;
using CallCenter.Data.Registrations;
using CallCenter.Ivr.Flows;
using CallCenter.Ivr.Prompts;
using CallCenter.Telephony;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Auth;
using CallCenter.Telephony.Sip.Registrar;
using CallCenter.Telephony.Transport;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>Reads and checks the configuration, then registers each room's services.</summary>
internal static class PlatformConfiguration
{
    public const string ConfigFile = "config/callcenter.json";

    /// <summary>Returns the configuration errors; empty when the platform may start.</summary>
    public static List<string> Load(ConfigurationManager configuration, IServiceCollection services, string[] args)
    {
        var errors = new List<string>();
        var path = FindConfigFile();

        // One order for every source, as ASP.NET Core does: file, environment, command line.
        configuration.Sources.Clear();
        if (path is not null)
        {
            configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);

        var fileOnly = path is null
            ? new ConfigurationBuilder().Build()
            : new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
        var commandLineOnly = new ConfigurationBuilder().Add(new CommandLineConfigurationSource { Args = args }).Build();
        errors.AddRange(ConfigurationChecker.UnknownKeys(fileOnly, commandLineOnly, configuration));

        var sip = ConfigurationChecker.Bind<SipOptions>(configuration, SipOptions.Section, errors);
        var rtp = ConfigurationChecker.Bind<RtpOptions>(configuration, RtpOptions.Section, errors);
        var database = ConfigurationChecker.Bind<DatabaseOptions>(configuration, DatabaseOptions.Section, errors);
        var recording = ConfigurationChecker.Bind<RecordingOptions>(configuration, RecordingOptions.Section, errors);
        var demo = ConfigurationChecker.Bind<DemoOptions>(configuration, DemoOptions.Section, errors);
        var api = ConfigurationChecker.Bind<ApiOptions>(configuration, ApiOptions.Section, errors);
        var desk = ConfigurationChecker.Bind<DeskOptions>(configuration, DeskOptions.Section, errors);
        var agents = ConfigurationChecker.Bind<Agents.AgentOptions>(configuration, Agents.AgentOptions.Section, errors);
        var routing = ConfigurationChecker.Bind<Routing.RoutingOptions>(configuration, Routing.RoutingOptions.Section, errors);
        var metrics = ConfigurationChecker.Bind<Metrics.MetricsOptions>(configuration, Metrics.MetricsOptions.Section, errors);
        var tiers = ConfigurationChecker.Bind<Clients.TierOptions>(configuration, Clients.TierOptions.Section, errors);
        var outbox = ConfigurationChecker.Bind<FaxSms.Outbox.OutboxOptions>(configuration, FaxSms.Outbox.OutboxOptions.Section, errors);
        var sms = ConfigurationChecker.Bind<FaxSms.Sms.SmsOptions>(configuration, FaxSms.Sms.SmsOptions.Section, errors);
        var mail = ConfigurationChecker.Bind<FaxSms.Email.MailOptions>(configuration, FaxSms.Email.MailOptions.Section, errors);
        var broadcasts = ConfigurationChecker.Bind<FaxSms.Broadcasts.BroadcastOptions>(configuration, FaxSms.Broadcasts.BroadcastOptions.Section, errors);
        var fax = ConfigurationChecker.Bind<FaxSms.Fax.FaxOptions>(configuration, FaxSms.Fax.FaxOptions.Section, errors);
        var documents = ConfigurationChecker.Bind<FaxSms.Documents.DocumentOptions>(configuration, FaxSms.Documents.DocumentOptions.Section, errors);
        var backOffice = ConfigurationChecker.Bind<BackOffice.BackOfficeOptions>(configuration, BackOffice.BackOfficeOptions.Section, errors);
        var dialing = ConfigurationChecker.Bind<Outbound.DialingOptions>(configuration, Outbound.DialingOptions.Section, errors);
        var callbackOptions = ConfigurationChecker.Bind<Outbound.CallbackOptions>(configuration, Outbound.CallbackOptions.Section, errors);
        errors.AddRange(callbackOptions.Validate());
        var outboundOptions = ConfigurationChecker.Bind<Outbound.OutboundOptions>(configuration, Outbound.OutboundOptions.Section, errors);
        errors.AddRange(outboundOptions.Validate());
        var callListOptions = ConfigurationChecker.Bind<Outbound.CallListOptions>(configuration, Outbound.CallListOptions.Section, errors);
        errors.AddRange(callListOptions.Validate());
        var cluster = ConfigurationChecker.Bind<ClusterOptions>(configuration, ClusterOptions.Section, errors);
        var trunks = new List<Outbound.Trunk>();
        foreach (var (entry, index) in configuration.GetSection(Outbound.TrunkOptions.Section).GetChildren().Select((e, i) => (e, i)))
        {
            var (trunk, trunkErrors) = Outbound.TrunkOptions.Check(entry.Get<Outbound.TrunkOptions>() ?? new(), index);
            errors.AddRange(trunkErrors);
            if (trunk is not null)
            {
                trunks.Add(trunk);
            }
        }
        errors.AddRange(sip.Validate());
        errors.AddRange(cluster.Validate());
        errors.AddRange(rtp.Validate());
        errors.AddRange(recording.Retention.Validate());
        errors.AddRange(api.Validate());
        errors.AddRange(desk.Validate());
        errors.AddRange(agents.Validate());
        errors.AddRange(routing.Validate());
        errors.AddRange(metrics.Validate());
        errors.AddRange(tiers.Validate());
        var tierNames = tiers.ActiveTiers().Select(t => t.Name).ToList();
        errors.AddRange(callListOptions.CoreClientTiers
            .Where(t => !tierNames.Contains(t, StringComparer.OrdinalIgnoreCase))
            .Select(t => $"{Outbound.CallListOptions.Section}:CoreClientTiers: \"{t}\" is not a tier of the grading (one of {string.Join(", ", tierNames)})."));
        errors.AddRange(TierRouting.Apply(
            routing, tiers, configuration.GetSection($"{Routing.RoutingOptions.Section}:TierBonusSeconds").GetChildren().Select(c => c.Key)));
        errors.AddRange(outbox.Validate());
        errors.AddRange(sms.Validate());
        errors.AddRange(mail.Validate());
        errors.AddRange(broadcasts.Validate());
        errors.AddRange(fax.Validate());
        errors.AddRange(backOffice.Validate());
        if (database.Validate() is { } databaseError)
        {
            errors.Add(databaseError);
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        // The IVR flows and prompts: an invalid flow stops start-up with a message naming file and node.
        var configRoot = path is null ? Path.Combine(AppContext.BaseDirectory, "config") : Path.GetDirectoryName(path)!;
        try
        {
            var catalog = IvrPromptCatalog.FromDirectory(Path.Combine(configRoot, "prompts"));
            services.AddSingleton(IvrFlowLoader.LoadDirectory(Path.Combine(configRoot, "flows"), catalog));
            var promptRoot = Path.Combine(configRoot, "prompts");
            services.AddSingleton(s => new Calls.PromptLibrary(promptRoot, s.GetService<Contracts.Notices.IAnnouncements>()));
            services.AddSingleton(new Notices.NoticesDemo(promptRoot));
        }
        catch (IvrFlowException e)
        {
            errors.Add(e.Message);
            return errors;
        }

        // The documents menu's research note: a file named relative to the config directory.
        documents.ResearchNotePath = Path.GetFullPath(Path.Combine(configRoot, documents.ResearchNote.Length > 0 ? documents.ResearchNote : "documents/research-note.txt"));
        // Its font (Chinese): named relative to the config directory, or Debian's fonts-wqy-microhei when installed.
        documents.ResolveFont(configRoot);
        errors.AddRange(documents.Validate());
        if (errors.Count > 0)
        {
            return errors;
        }

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sip);
        services.AddSingleton(sip.ToOutboundProxy());
        services.AddSingleton(cluster);
        // A trunk's address is a trusted peer on the trunk's own transport: the carrier's word on who calls is believed.
        services.AddSingleton(new Telephony.Sip.SipTrustedPeers(sip).With(trunks.Select(t => (t.Remote.EndPoint.Address, t.Remote.Protocol))));
        services.AddSingleton(dialing);
        services.AddSingleton(s => new Outbound.Trunks(trunks, s.GetRequiredService<SipTransport>()));
        services.AddSingleton(callbackOptions);
        services.AddSingleton<CallCenter.Data.Callbacks.CallbackRepository>();
        services.AddSingleton(s =>
        {
            var callbacks = ActivatorUtilities.CreateInstance<Outbound.Callbacks>(s);

            // In a cluster with the shared ACD, the node id is checked against the other live processes: the lease is not
            // taken (MayLead) until the ACD has confirmed the id as this process's, and /health says duplicate-node-id
            // while another holds it. A twin's callbacks are then left to it (read only; the cluster's files own the check).
            if (s.GetService<Cluster.LeaderLease>() is { } lease)
            {
                var readiness = s.GetRequiredService<PlatformReadiness>();
                callbacks.NodeIdConfirmed = () => lease.MayLead() && !readiness.NodeIdClash;
            }

            return callbacks;
        });
        services.AddSingleton<Outbound.CallbackBooking>();
        services.AddSingleton<Contracts.Calls.IDeskCallbacks>(s => s.GetRequiredService<Outbound.CallbackBooking>());
        services.AddSingleton<Contracts.Calls.ISupervisorCallbacks>(s => s.GetRequiredService<Outbound.CallbackBooking>());
        services.AddSingleton<Contracts.Desk.ICallbackCounts>(s => s.GetRequiredService<Outbound.Callbacks>());
        services.AddSingleton(outboundOptions);
        services.AddSingleton<CallCenter.Data.Callbacks.DoNotCallRepository>();
        services.AddSingleton<CallCenter.Data.Callbacks.IDoNotCallStore>(provider => provider.GetRequiredService<CallCenter.Data.Callbacks.DoNotCallRepository>());
        services.AddSingleton<CallCenter.Data.Catalog.IClientHoursStore, CallCenter.Data.Catalog.ClientHoursRepository>();
        services.AddSingleton<Outbound.OutboundRules>();
        services.AddSingleton(callListOptions);
        services.AddSingleton<CallCenter.Data.CallLists.CallListRepository>();
        services.AddSingleton<Outbound.ListEscalations>();
        services.AddSingleton<Outbound.CallLists>();
        services.AddSingleton<Contracts.Desk.ICallListDeadlines, Outbound.ListDeadlineCounts>();
        services.AddSingleton(new Calls.CallAdmission(sip.MaxCallsPerSource, sip.MaxCallAttemptsPerSourcePerMinute) { MailboxCapacity = sip.CallMailboxCapacity });
        services.AddSingleton(rtp);
        services.AddSingleton(database);
        services.AddSingleton(recording);
        services.AddSingleton(new AgentDesk.Recordings.RecordingFiles(recording.Directory));
        services.AddSingleton(demo);
        services.AddSingleton(desk);
        services.AddSingleton(new AgentDesk.Hubs.DeskTimings(agents.WrapUpSeconds));
        services.AddAgentDesk(api);
        // Cluster:Enabled: Redis as the SignalR backplane and the wallboard's shared view (after the desk, whose defaults it replaces).
        Cluster.ClusterSetup.AddCluster(services, cluster, database);
        services.AddSingleton(metrics);
        services.AddSingleton<EventRepository>();
        services.AddSingleton<Contracts.Metrics.IMetricsReports, Metrics.MetricsReports>();

        services.AddSingleton<DbConnectionFactory>();
        services.AddSingleton<Migrator>();
        // Before any other hosted service: a task that fails unawaited, or a thread's unhandled exception, is logged.
        services.AddHostedService<UnobservedExceptionLog>();
        // First of the hosted services that work: the schema is up to date before any other one starts (and writes).
        services.AddHostedService<DatabaseMigration>();
        services.AddSingleton<CatalogRepository>();
        // Nodes sharing one database each close only their own calls left open by a crash.
        services.AddSingleton(sp => new CallRecordRepository(sp.GetRequiredService<DbConnectionFactory>(), cluster.Enabled ? cluster.Node : null));
        services.AddSingleton<CallerLookupRepository>();
        services.AddSingleton<SipTransport>();
        services.AddSingleton<MediaClock>();
        services.AddSingleton<RtpPortAllocator>();
        services.AddSingleton<RtpCounters>();
        services.AddSingleton<PlatformReadiness>();
        services.AddSingleton<SipBindingRepository>();
        services.AddSingleton<IRegistrationStore, Agents.SqlRegistrationStore>();
        services.AddSingleton<ISipCredentialStore, Agents.CatalogCredentialStore>();
        services.AddSingleton(sip.ToRegistrarOptions());
        services.AddSingleton(s =>
        {
            var authenticator = s.GetRequiredService<SipRegistrarOptions>().CreateAuthenticator(s.GetRequiredService<ISipCredentialStore>());
            authenticator.SharedCounts = s.GetService<CallCenter.Telephony.Sip.Auth.ISharedNonceCounts>(); // a cluster's node only
            return authenticator;
        });
        services.AddSingleton<SipRegistrar>();
        services.AddHostedService<Agents.RegistrationJanitor>();
        services.AddSingleton(new SipAuthLimiter(sip.ToAuthLimits()));
        services.AddSingleton<Calls.RegisterHandler>();
        services.AddSingleton(agents);
        services.AddSingleton(routing);
        // On a cluster's shared PostgreSQL the leader routes every node's callers (issue 19): this node's queues only hold its own.
        services.AddSingleton(s => new Queues.AcdQueues(routing, s.GetRequiredService<TimeProvider>(), s.GetRequiredService<ILogger<Queues.AcdQueues>>())
        {
            ClusterDecides = cluster.Enabled && database.Provider == "postgres",
        });
        services.AddSingleton<Queues.QueueBoard>();
        services.AddSingleton<Contracts.Queues.IQueueStates>(s => s.GetRequiredService<Queues.QueueBoard>());
        services.AddSingleton<Contracts.Queues.IQueuePicks>(s => s.GetRequiredService<Queues.QueueBoard>());
        services.AddSingleton<Agents.AgentStateMachine>();
        services.AddSingleton<Agents.AgentRoster>();
        services.AddSingleton<Agents.AgentPresence>();
        services.AddSingleton<Contracts.Agents.IAgentStates>(s => s.GetRequiredService<Agents.AgentPresence>());
        services.AddSingleton<Contracts.Agents.IAgentCatalogChanges>(s => s.GetRequiredService<Agents.AgentPresence>());
        services.AddSingleton(AdminSettingsFactory.Create(sip, routing, tiers));
        services.AddSingleton<Calls.SipEdge>();
        services.AddSingleton<Calls.CallMedia>();
        services.AddSingleton<Calls.CallRouting>();
        services.AddSingleton<Calls.OutboundCalling>();
        services.AddSingleton<Calls.CallStores>();
        services.AddSingleton<Calls.SipEndpoint>();
        services.AddSingleton<Calls.BackgroundSends>();
        services.AddSingleton<Calls.RelayTotals>();
        services.AddSingleton<Contracts.Calls.ICallControl>(s => s.GetRequiredService<Calls.SipEndpoint>());
        services.AddSingleton<Contracts.Calls.IDeskCalls>(s => s.GetRequiredService<Calls.SipEndpoint>());
        services.AddSingleton<Outbound.IListEntryDialer>(s => s.GetRequiredService<Calls.SipEndpoint>());
        services.AddSingleton<Contracts.Calls.IListPreview>(s => s.GetRequiredService<Outbound.CallLists>());
        services.AddSingleton<Contracts.Calls.IMonitorControl>(s => s.GetRequiredService<Calls.SipEndpoint>());
        services.TryAddSingleton<CallCenter.Data.Desk.AuditRepository>();
        // Hosted services stop in reverse order: the record writer stops after the SIP side has closed its calls.
        services.AddSingleton(s => new Records.KeptWrites(
            Records.KeptWrites.PathFor(s.GetRequiredService<DatabaseOptions>(), s.GetRequiredService<ClusterOptions>() is { Enabled: true } node ? node.Node : null),
            s.GetRequiredService<ILogger<Records.KeptWrites>>()));
        services.AddSingleton<Records.CallRecordWriter>();
        services.AddHostedService(s => s.GetRequiredService<Records.CallRecordWriter>());
        services.AddSingleton<Calls.ICallRecordSink>(s => s.GetRequiredService<Records.CallRecordWriter>());
        services.AddSingleton<Calls.IWrapUpAgents>(s => s.GetRequiredService<Agents.AgentPresence>());
        services.AddSingleton<Calls.WrapUps>();
        services.AddSingleton<Records.EventLog>();
        services.AddHostedService<PlatformStartup>();
        // After the endpoint and transport are up: registrations to the trunks that ask for one.
        services.AddHostedService<Outbound.TrunkRegistrations>();
        // The outbox worker: after PlatformStartup (the database is migrated), and stopped before it.
        // Its fax claims name this node, so a node that starts queues again only its own (nodes on one PostgreSQL).
        FaxSms.FaxSmsSetup.AddFaxSms(services, outbox, sms, mail, broadcasts, new FaxSms.Fax.FaxNode(cluster.Node, cluster.Enabled && database.Provider == "postgres"));
        // Announcements (信息发布) for the notices menu, managed through /api/announcements.
        Notices.NoticesSetup.AddNotices(services);
        // Fax (issue 16): the number that answers in fax mode is one more call kind of the SIP endpoint.
        services.AddSingleton(fax);
        services.AddSingleton<Calls.FaxCalls>();
        services.AddSingleton<FaxSms.Fax.IFaxLine, Calls.FaxLine>();
        // A fax to a telephone number goes through the trunk with the outbound dial plan.
        services.AddSingleton<Calls.FaxTrunk>();
        services.AddSingleton<FaxSms.Fax.IFaxNumbers>(s => s.GetRequiredService<Calls.FaxTrunk>());
        services.AddHostedService(s =>
        {
            var worker = ActivatorUtilities.CreateInstance<FaxSms.Fax.FaxOutboxWorker>(s);

            // As the callbacks (above): with the shared ACD's node id check, a twin's fax claims are left to it.
            if (s.GetService<Cluster.LeaderLease>() is { } lease)
            {
                var readiness = s.GetRequiredService<PlatformReadiness>();
                worker.NodeIdConfirmed = () => lease.MayLead() && !readiness.NodeIdClash;
            }

            return worker;
        });
        // Documents by SMS, e-mail or fax from the hotline's documents menu (文字回复).
        services.AddSingleton(documents);
        services.AddSingleton(new FaxSms.Documents.DocumentPdf(documents.FontPath));
        services.AddHostedService<FaxSms.Documents.DocumentFontNotice>();
        services.AddSingleton<Contracts.Documents.IDocumentRequests, FaxSms.Documents.DocumentDesk>();
        // The brokerage's back office for self-service (issue 14): the built-in one on this database unless BackOffice:Provider=none.
        BackOffice.BackOfficeSetup.AddBackOffice(services, backOffice);
        if (services.Any(d => d.ServiceType == typeof(Contracts.BackOffice.IBackOffice)))
        {
            // The IVR's backOffice nodes reach the port through these; without a port they answer "error".
            services.AddSingleton<Contracts.Clients.IClientLanguages, Clients.ClientLanguages>();
            // Wrong PINs per trusted calling number across calls and accounts, on this database whatever the back office.
            services.AddSingleton<Contracts.BackOffice.ICallerPinFailures, BackOffice.CallerPinFailureStore>();
            services.AddSingleton<Ivr.SelfService.IvrBackOfficeExecutor>();
            services.AddSingleton<Calls.SelfServiceRequests>();
        }
        // The quarterly tier review: after PlatformStartup, which migrates the database and seeds the demo first.
        services.AddSingleton(tiers);
        services.AddSingleton<CallCenter.Data.Clients.ClientFiguresRepository>();
        services.AddSingleton<CallCenter.Data.Clients.TierChangeRepository>();
        services.AddSingleton<Clients.TierReviewRunner>();
        if (tiers.ReviewJob)
        {
            services.AddHostedService<Clients.TierReviewJob>();
        }

        // Recording retention (issue 17): daily, after PlatformStartup has migrated the database.
        services.AddSingleton<CallCenter.Data.Calls.RecordingRepository>();
        if (recording.Retention.Job)
        {
            services.AddHostedService<Records.RecordingRetentionJob>();
        }

        return errors;
    }

    private static string? FindConfigFile()
    {
        // The working directory's config/ first (an operator's edited copy), else the copy built next to the binary.
        foreach (var root in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var candidate = Path.Combine(root, ConfigFile);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
