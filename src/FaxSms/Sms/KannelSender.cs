using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Sms;

/// <summary>Sends an SMS through smsbox's sendsms (the shell around <see cref="KannelRequest"/>).</summary>
public sealed class KannelSender(SmsOptions options, HttpClient http) : IMessageSender
{
    private readonly CallbackSignature _signature = new(options.Kannel.CallbackSecret);

    public string Channel => MessageChannel.Sms;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var uri = KannelRequest.Build(options.Kannel, options.From, _signature, message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Kannel.TimeoutSeconds));
        try
        {
            using var response = await http.GetAsync(uri, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return KannelRequest.Interpret((int)response.StatusCode, body);
        }
        catch (HttpRequestException e)
        {
            // The URL holds the password: only the error's kind and the gateway's host are said.
            return new SendResult.Transient($"Kannel at {uri.Host}:{uri.Port} not reachable ({e.HttpRequestError})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult.Transient($"Kannel at {uri.Host}:{uri.Port} did not answer within {options.Kannel.TimeoutSeconds} s");
        }
    }
}
