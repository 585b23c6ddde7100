using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using CallCenter.AgentDesk.Hubs;
using CallCenter.AgentDesk.Tests.Endpoints;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
using CallCenter.Contracts.Desk;
using CallCenter.Contracts.Metrics;
using CallCenter.Contracts.Queues;
using CallCenter.Data;
using CallCenter.Data.Catalog;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Tests.Hubs;

/// <summary>
/// The desk on a test server with a real SQLite database (migrated: audit log, disposition codes, calls)
/// and the host's rooms as fakes at the interface the host implements. Desk users: agents 1001 and 1002,
/// supervisor <c>super</c> (phone 1900), admin <c>admin</c>; every password is <c>pw-&lt;login&gt;</c>.
/// </summary>
internal sealed partial class HubHost : IAsyncDisposable
{
    private readonly string _file;

    private HubHost(string file, WebApplication app, ManualTimeProvider time, DbConnectionFactory factory, FakeAgents agents, FakeDeskCalls calls, FakeQueues queues, ConcurrentQueue<string> log)
    {
        _file = file;
        App = app;
        Time = time;
        Factory = factory;
        Agents = agents;
        Calls = calls;
        Queues = queues;
        Log = log;
    }

    public WebApplication App { get; }

    public ManualTimeProvider Time { get; }

    public DbConnectionFactory Factory { get; }

    public FakeAgents Agents { get; }

    public FakeDeskCalls Calls { get; }

    public FakeQueues Queues { get; }

    /// <summary>The received faxes still to handle, as the wallboard reads them.</summary>
    public FakeFaxTasks FaxTasks => (FakeFaxTasks)App.Services.GetRequiredService<IFaxTaskCounts>();

    /// <summary>The host's callbacks as the wallboard books, cancels and lists them.</summary>
    public FakeSupervisorCallbacks SupervisorCallbacks => (FakeSupervisorCallbacks)App.Services.GetRequiredService<ISupervisorCallbacks>();

    /// <summary>Every log line, as "Level: message".</summary>
    public ConcurrentQueue<string> Log { get; }

    public TestServer Server => App.GetTestServer();

    public IDeskEvents Events => App.Services.GetRequiredService<IDeskEvents>();

    public static async Task<HubHost> StartAsync(DateTimeOffset? start = null, int sessionMinutes = 60, Action<DeskOptions>? configure = null)
    {
        var file = TestDatabases.NewSqliteFile();
        var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=" + file });
        await new Migrator(factory).MigrateAsync();
        var catalog = new CatalogRepository(factory);
        var hasher = new PasswordHasher<string>();
        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "a", "b"));
        await catalog.UpsertAgentAsync(new AgentRecord("1002", "钱伟", "callcenter", "a", "b"));
        await catalog.UpsertAgentAsync(new AgentRecord("1900", "孙主管", "callcenter", "a", "b"));
        foreach (var (login, role, extension) in new[] { ("1001", "agent", "1001"), ("1002", "agent", "1002"), ("super", "supervisor", "1900"), ("admin", "admin", (string?)null) })
        {
            await catalog.UpsertDeskUserAsync(new DeskUserRecord(login, role, hasher.HashPassword(login, "pw-" + login), extension));
        }

        var time = new ManualTimeProvider(start ?? DateTimeOffset.UtcNow);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var log = new ConcurrentQueue<string>();
        builder.Logging.ClearProviders().AddProvider(new LineLoggerProvider(log)).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton<TimeProvider>(time);
        var options = new DeskOptions { SessionMinutes = sessionMinutes };
        configure?.Invoke(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddAgentDesk(new ApiOptions { Keys = ["test-api-key"] });
        builder.Services.AddSingleton(factory);
        builder.Services.AddSingleton(catalog);
        var agents = new FakeAgents();
        var calls = new FakeDeskCalls();
        var queues = new FakeQueues();
        builder.Services.AddSingleton<IAgentStates>(agents);
        builder.Services.AddSingleton<IDeskCalls>(calls);
        builder.Services.AddSingleton<ICallControl>(calls);
        builder.Services.AddSingleton<IQueueStates>(queues);
        builder.Services.AddSingleton<IQueuePicks>(queues);
        builder.Services.AddSingleton<ISupervisorCallbacks>(new FakeSupervisorCallbacks());
        builder.Services.AddSingleton<IFaxTaskCounts>(new FakeFaxTasks());
        builder.Services.AddSingleton<IMetricsReports>(new FakeMetrics(time));
        EmptyRooms.Add(builder.Services, factory);
        var app = builder.Build();
        app.MapAgentDesk();
        await app.StartAsync();
        return new HubHost(file, app, time, factory, agents, calls, queues, log);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(_file);
    }

    /// <summary>Signs in through the form (with its anti-forgery token) and returns the desk cookie as a Cookie header.</summary>
    public async Task<string> SignInAsync(string login)
    {
        var jar = new CookieJar(Server.CreateHandler());
        using var browser = new HttpClient(jar) { BaseAddress = new Uri("http://localhost") };
        using var response = await Endpoints.DeskForm.SignInAsync(browser, login, "pw-" + login);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), $"sign-in of {login}");
        var desk = jar.Cookies.GetCookies(new Uri("http://localhost"))[".CallCenter.Desk"];
        Assert.That(desk, Is.Not.Null, "the desk cookie");
        return $"{desk!.Name}={desk.Value}";
    }

    /// <summary>A browser with its cookie jar; <paramref name="remoteAddress"/> is the address the server sees it connect from.</summary>
    public HttpClient Browser(string? remoteAddress = null)
    {
        var handler = remoteAddress is null
            ? Server.CreateHandler()
            : Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress));
        return new HttpClient(new CookieJar(handler)) { BaseAddress = new Uri("http://localhost") };
    }

    /// <summary>A SignalR connection over TestServer's WebSocket (negotiate through its handler), with the given cookie and Origin.</summary>
    public HubConnection Connection(string path, string? cookie, string? origin = null)
    {
        var server = Server;
        return new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, path), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                if (cookie is not null)
                {
                    options.Headers["Cookie"] = cookie;
                }

                if (origin is not null)
                {
                    options.Headers["Origin"] = origin;
                }

                options.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var client = server.CreateWebSocketClient();
                    client.ConfigureRequest = request =>
                    {
                        if (cookie is not null)
                        {
                            request.Headers.Cookie = cookie;
                        }

                        if (origin is not null)
                        {
                            request.Headers.Origin = origin;
                        }
                    };
                    return await client.ConnectAsync(context.Uri, cancellationToken);
                };
            })
            .Build();
    }

    public async Task<HubConnection> ConnectAsync(string path, string login)
    {
        var connection = Connection(path, await SignInAsync(login));
        await connection.StartAsync();

        // The server joins the connection to its group in OnConnectedAsync, which may end after the client's
        // handshake; invocations are only dispatched after it, so one round trip means the groups are joined.
        await connection.InvokeAsync<System.Text.Json.JsonElement>(path == "/hubs/agent" ? "current" : "snapshot");
        return connection;
    }
}
