using System.Net.Sockets;
using CallCenter.FaxSms.Outbox;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace CallCenter.FaxSms.Email;

/// <summary>
/// Submits an outbox e-mail over SMTP with MailKit (the shell around <see cref="MailComposer"/>):
/// <c>none</c>, <c>starttls</c> (required: a server that does not offer it fails the attempt) or
/// implicit <c>tls</c>, and authentication when a username is set. A 4xx reply or a connection
/// problem is tried again later; a 5xx reply about the message or its recipient fails it.
/// </summary>
public sealed class SmtpSender(MailOptions options, TimeProvider time) : IMessageSender
{
    public string Channel => MessageChannel.Email;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Smtp;
        var mime = MailComposer.Compose(message, options.From, time.GetUtcNow());
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(smtp.TimeoutSeconds).TotalMilliseconds };
        if (smtp.AcceptAnyCertificate)
        {
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        }

        try
        {
            var security = smtp.Security switch
            {
                "tls" => SecureSocketOptions.SslOnConnect,
                "starttls" => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            await client.ConnectAsync(smtp.Host, smtp.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password, cancellationToken);
            }

            var answer = await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return new SendResult.Accepted($"SMTP: {answer}");
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500 && e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            return new SendResult.Permanent($"the SMTP server refused the {(e.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? "recipient" : "message")} ({(int)e.StatusCode} {e.Message})");
        }
        catch (SmtpCommandException e)
        {
            return new SendResult.Transient($"SMTP {(int)e.StatusCode}: {e.Message}");
        }
        catch (AuthenticationException)
        {
            // Never the password, nor the server's echo of what was tried.
            return new SendResult.Transient($"SMTP authentication as \"{smtp.Username}\" failed at {smtp.Host}:{smtp.Port}");
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or SslHandshakeException or NotSupportedException or ServiceNotConnectedException or TimeoutException)
        {
            return new SendResult.Transient($"SMTP server {smtp.Host}:{smtp.Port}: {e.GetType().Name}: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult.Transient($"SMTP server {smtp.Host}:{smtp.Port} did not answer in time");
        }
    }
}
