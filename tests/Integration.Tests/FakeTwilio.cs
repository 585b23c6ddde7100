using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A loopback server that answers as Twilio's Messages API does (Twilio's cloud cannot run here):
/// it checks the request the Twilio SDK makes (path, Basic auth, form fields), answers 201 with a
/// message resource, or an error as Twilio words it, and then calls the message's StatusCallback
/// with "sent" and "delivered", signed with <c>X-Twilio-Signature</c> as Twilio documents it
/// (HMAC-SHA1 under the auth token of the URL and the sorted fields, base64), computed here
/// independently of the SDK the platform checks it with.
/// </summary>
public sealed class FakeTwilio : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "fake-twilio-auth-token-42";
    public const string From = "+15005550006";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly HttpClient _callbacks = new();
    private int _sequence;

    private FakeTwilio(int port)
    {
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>Every request the SDK made, in order, whatever the answer.</summary>
    public ConcurrentQueue<TwilioRequest> Requests { get; } = new();

    /// <summary>Messages taken (201), in order.</summary>
    public ConcurrentQueue<TwilioRequest> Accepted { get; } = new();

    /// <summary>Answers for a destination number before it is taken: each entry is used once (for example 503, then the 201).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<(int Status, int Code, string Message)>> Failures { get; } = new();

    /// <summary>Status callbacks sent and what the platform answered.</summary>
    public ConcurrentQueue<(string Url, string Status, HttpStatusCode Answer)> Callbacks { get; } = new();

    public static FakeTwilio Start() => new(FreePorts.UdpAndTcp());

    public string[] PlatformArguments(int platformHttpPort) =>
    [
        "--Sms:Provider=twilio",
        $"--Sms:Twilio:AccountSid={AccountSid}",
        $"--Sms:Twilio:AuthToken={AuthToken}",
        $"--Sms:Twilio:From={From}",
        $"--Sms:Twilio:BaseUrl=http://127.0.0.1:{Port}",
        $"--Sms:Twilio:CallbackBaseUrl=http://127.0.0.1:{platformHttpPort}",
    ];

    public IEnumerable<string> BodiesTo(string to) => Accepted.Where(r => r.Form["To"] == to).Select(r => r.Form["Body"]);

    public string Log => string.Join("\n", Requests.Select(r => $"{r.Method} {r.Path} To={r.Form.GetValueOrDefault("To")} auth={r.AuthorizationOk}")) +
        "\n" + string.Join("\n", Callbacks.Select(c => $"callback {c.Status} → {(int)c.Answer}"));

    /// <summary>Twilio's signature of a callback: base64(HMAC-SHA1(auth token, url + each field's name and value, sorted by name)).</summary>
    public static string Sign(string token, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>POSTs a signed form to the platform as Twilio does (a status callback or an inbound SMS); <paramref name="token"/> other than the account's forges it.</summary>
    public async Task<HttpStatusCode> PostSignedAsync(string url, Dictionary<string, string> fields, string? token = AuthToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        if (token is not null)
        {
            request.Headers.Add("X-Twilio-Signature", Sign(token, url, fields));
        }

        request.Headers.Add("User-Agent", "TwilioProxy/1.1");
        using var response = await _callbacks.SendAsync(request);
        return response.StatusCode;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        string text;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
        {
            text = await reader.ReadToEndAsync();
        }

        var parsed = HttpUtility.ParseQueryString(text);
        var form = parsed.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => parsed[k]!, StringComparer.Ordinal);
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        var seen = new TwilioRequest(request.HttpMethod, request.Url!.AbsolutePath, form, request.Headers["Authorization"] == expectedAuth, request.ContentType ?? "");
        Requests.Enqueue(seen);

        var path = $"/2010-04-01/Accounts/{AccountSid}/Messages.json";
        if (seen.Method != "POST" || seen.Path != path)
        {
            await WriteAsync(context, 404, Error(20404, $"The requested resource {seen.Path} was not found"));
            return;
        }

        if (!seen.AuthorizationOk)
        {
            await WriteAsync(context, 401, Error(20003, "Authenticate"));
            return;
        }

        if (!form.TryGetValue("To", out var to) || !form.TryGetValue("Body", out var body) || body.Length == 0 || form.GetValueOrDefault("From") != From)
        {
            await WriteAsync(context, 400, Error(21604, "A 'To', 'From' and 'Body' are required."));
            return;
        }

        if (Failures.TryGetValue(to, out var planned) && planned.TryDequeue(out var failure))
        {
            await WriteAsync(context, failure.Status, Error(failure.Code, failure.Message));
            return;
        }

        var sid = $"SM{Interlocked.Increment(ref _sequence):x32}";
        Accepted.Enqueue(seen);
        await WriteAsync(context, 201, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["sid"] = sid,
            ["account_sid"] = AccountSid,
            ["to"] = to,
            ["from"] = From,
            ["body"] = body,
            ["status"] = "queued",
            ["direction"] = "outbound-api",
            ["num_segments"] = "1",
            ["api_version"] = "2010-04-01",
            ["date_created"] = DateTimeOffset.UtcNow.ToString("r"),
            ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{sid}.json",
        }));

        if (form.TryGetValue("StatusCallback", out var callback))
        {
            foreach (var status in new[] { "sent", "delivered" })
            {
                var fields = new Dictionary<string, string>
                {
                    ["MessageSid"] = sid,
                    ["SmsSid"] = sid,
                    ["AccountSid"] = AccountSid,
                    ["From"] = From,
                    ["To"] = to,
                    ["MessageStatus"] = status,
                    ["SmsStatus"] = status,
                    ["ApiVersion"] = "2010-04-01",
                };
                var answer = await PostSignedAsync(callback, fields);
                Callbacks.Enqueue((callback, status, answer));
            }
        }
    }

    private static string Error(int code, string message) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["code"] = code,
        ["message"] = message,
        ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
    });

    private static async Task WriteAsync(HttpListenerContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
        _callbacks.Dispose();
    }
}

/// <summary>One request the Twilio SDK made to the fake.</summary>
public sealed record TwilioRequest(string Method, string Path, Dictionary<string, string> Form, bool AuthorizationOk, string ContentType);
