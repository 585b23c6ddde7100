using CallCenter.AgentDesk;
using CallCenter.ResourceControl.Hosting;

// The whole platform in one process: SIP, media, call control, the web desk and the REST API.
// Configuration: config/callcenter.json, then environment (Sip__Port=5070), then command line (--Sip:Port=5070).
// "tier-review [--quarter 2026Q3] [--dry-run]" runs the quarterly client grading once instead, and exits.
if (args.Length > 0 && args[0] == CallCenter.ResourceControl.Clients.TierReviewCommand.Name)
{
    return await CallCenter.ResourceControl.Clients.TierReviewCommand.RunAsync(args[1..], Console.Out, Console.Error, TimeProvider.System);
}

// The host's default appsettings sources would watch the content root (the working folder, where the
// SQLite file usually lives) with a recursive FileSystemWatcher, woken by every write to the database's
// log (an inotify read and an lstat each). The platform replaces those sources with
// config/callcenter.json, read once, so nothing needs that watcher.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"] });
var errors = PlatformConfiguration.Load(builder.Configuration, builder.Services, args);
if (errors.Count > 0)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine("callcenter: configuration error: " + error);
    }

    return 2;
}

var app = builder.Build();
PlatformEndpoints.Map(app);
SipWebSocketEndpoint.Map(app);
var api = app.MapAgentDesk();
NodeEndpoints.Map(api);
CallCenter.FaxSms.FaxSmsSetup.MapFaxSms(app, api);
CallCenter.BackOffice.BackOfficeSetup.MapBackOffice(app, api);
CallCenter.ResourceControl.Outbound.CallbacksEndpoints.Map(api);
CallCenter.ResourceControl.Outbound.TrunksEndpoints.Map(api);
CallCenter.ResourceControl.Outbound.DoNotCallEndpoints.Map(api);
CallCenter.ResourceControl.Outbound.CallListsEndpoints.Map(api);
CallCenter.Notices.NoticesSetup.MapNotices(app, api);
await app.RunAsync();
return 0;
