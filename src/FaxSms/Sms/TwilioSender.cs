using CallCenter.FaxSms.Outbox;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace CallCenter.FaxSms.Sms;

/// <summary>
/// Sends an SMS through Twilio's Messages API with the Twilio SDK (the shell around <see cref="TwilioRules"/>).
/// Twilio splits and encodes long and Chinese texts itself. With <c>Sms:Twilio:CallbackBaseUrl</c>
/// each message asks for status callbacks at /sms/twilio/status?id=…, which Twilio signs.
/// </summary>
public sealed class TwilioSender : IMessageSender
{
    private readonly TwilioOptions _options;
    private readonly ITwilioRestClient _client;

    public TwilioSender(TwilioOptions options, System.Net.Http.HttpMessageHandler transport)
    {
        _options = options;
        // The SDK's own seam: its HttpClient wraps ours, whose handler sends api.twilio.com's requests to Sms:Twilio:BaseUrl when set.
        var handler = string.IsNullOrEmpty(options.BaseUrl) ? transport : new BaseUrlHandler(new Uri(options.BaseUrl), transport);
        var http = new System.Net.Http.HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
        _client = new TwilioRestClient(options.AccountSid, options.AuthToken, httpClient: new SystemNetHttpClient(http));
    }

    public string Channel => MessageChannel.Sms;

    public static Uri? StatusCallback(TwilioOptions options, string messageId) =>
        string.IsNullOrEmpty(options.CallbackBaseUrl) ? null : new Uri($"{options.CallbackBaseUrl.TrimEnd('/')}{TwilioEndpoints.StatusPath}?id={Uri.EscapeDataString(messageId)}");

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var created = await MessageResource.CreateAsync(
                to: new PhoneNumber(message.Recipient),
                from: new PhoneNumber(_options.From),
                body: message.Body,
                statusCallback: StatusCallback(_options, message.Id),
                client: _client);
            return new SendResult.Accepted($"Twilio {created.Sid}: {created.Status}");
        }
        catch (ApiException e)
        {
            return TwilioRules.Interpret(e.Status, e.Code, e.Message);
        }
        catch (ApiConnectionException e)
        {
            // The SDK's message names the URL (no secret in it); the cause says what went wrong.
            return new SendResult.Transient($"Twilio not reachable ({e.InnerException?.GetType().Name ?? "no answer"})");
        }
    }

    /// <summary>Sends the SDK's requests for https://api.twilio.com/… to the same path under another base (tests, a proxy).</summary>
    private sealed class BaseUrlHandler(Uri baseUrl, System.Net.Http.HttpMessageHandler inner) : System.Net.Http.DelegatingHandler(inner)
    {
        protected override Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } uri)
            {
                request.RequestUri = new UriBuilder(uri) { Scheme = baseUrl.Scheme, Host = baseUrl.Host, Port = baseUrl.Port }.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
