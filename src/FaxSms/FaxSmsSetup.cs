using CallCenter.FaxSms.Broadcasts;
using CallCenter.FaxSms.Email;
using CallCenter.FaxSms.Email.Inbound;
using CallCenter.FaxSms.Outbox;
using CallCenter.FaxSms.Sms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallCenter.FaxSms;

/// <summary>The messaging room's services (outbox, worker, senders) and endpoints.</summary>
public static class FaxSmsSetup
{
    /// <param name="faxNode">The node the fax worker claims faxes as (the host's <c>Cluster:NodeId</c>, or the machine's name), and whether other nodes share the database.</param>
    public static IServiceCollection AddFaxSms(this IServiceCollection services, OutboxOptions outbox, SmsOptions sms, MailOptions mail, BroadcastOptions broadcasts, Fax.FaxNode faxNode)
    {
        MailCharsets.Register();
        services.AddSingleton(faxNode);
        services.AddSingleton(broadcasts);
        services.AddSingleton<BroadcastRepository>();
        services.AddHostedService<BroadcastScheduler>();
        services.AddSingleton(outbox);
        services.AddSingleton(sms);
        services.AddSingleton(mail);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OutboxRepository>();
        services.AddSingleton<SmsStore>();
        services.AddSingleton<EmailOptOuts>();
        services.AddSingleton<OutboxSignal>();
        if (sms.Provider == "kannel")
        {
            services.AddSingleton<IMessageSender>(s => new KannelSender(sms, new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = outbox.Concurrency,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            { Timeout = Timeout.InfiniteTimeSpan }));
        }

        if (sms.Provider == "twilio")
        {
            services.AddSingleton<IMessageSender>(s => new TwilioSender(sms.Twilio, new SocketsHttpHandler
            {
                MaxConnectionsPerServer = outbox.Concurrency,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AllowAutoRedirect = false,
            }));
        }

        if (mail.Enabled)
        {
            services.AddSingleton<IMessageSender, SmtpSender>();
        }

        services.AddSingleton<EmailTaskRepository>();
        services.AddSingleton<EmailTaskSignal>();
        services.AddHostedService<EmailTaskOffers>();
        services.AddSingleton<CallCenter.Contracts.Desk.IDeskEmailTasks, DeskEmailTasks>();
        if (mail.Imap.Enabled)
        {
            services.AddHostedService<ImapMailReader>();
        }

        services.AddSingleton<OutboxStatusWriter>();
        services.AddHostedService(s => s.GetRequiredService<OutboxStatusWriter>());
        services.AddSingleton<Fax.FaxRepository>();
        services.AddSingleton<CallCenter.Contracts.Desk.IFaxTaskCounts, Fax.FaxTaskCounts>();
        services.AddSingleton<Fax.FaxInbox>();
        services.AddHostedService<Fax.FaxInboxRecovery>();
        services.AddSingleton<Fax.FaxOutbox>();
        services.AddSingleton<Fax.FaxOutboxSignal>();
        services.AddSingleton<OutboxWorker>();
        services.AddHostedService(s => s.GetRequiredService<OutboxWorker>());
        return services;
    }

    /// <summary>Maps /api/messages on the host's authorized <paramref name="api"/> group, and the Kannel callbacks at the root.</summary>
    public static void MapFaxSms(this WebApplication app, IEndpointRouteBuilder api)
    {
        ArgumentNullException.ThrowIfNull(app);
        MessagesEndpoints.Map(api);
        BroadcastEndpoints.Map(api);
        EmailTaskEndpoints.Map(api);
        EmailOptOutEndpoints.Map(api);
        Fax.FaxEndpoints.Map(api);
        InboundSmsEndpoints.Map(api);
        var sms = app.Services.GetRequiredService<SmsOptions>();
        if (sms.Provider == "kannel")
        {
            KannelEndpoints.Map(app, sms);
        }

        if (sms.Provider == "twilio" && sms.Twilio.CallbackBaseUrl.Length > 0)
        {
            TwilioEndpoints.Map(app, sms.Twilio);
        }
    }
}
