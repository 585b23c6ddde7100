using System.Collections.Concurrent;
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
/// At most <c>Mail:Smtp:MaxConnections</c> connections are open; an idle one is used again as
/// <see cref="SmtpConnectionPolicy"/> says, and any failure closes the connection it happened on.
/// </summary>
public sealed class SmtpSender(MailOptions options, TimeProvider time) : IMessageSender, IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Smtp.MaxConnections, options.Smtp.MaxConnections);
    private readonly ConcurrentStack<Connection> _idle = new();

    public string Channel => MessageChannel.Email;

    public async Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Smtp;
        var mime = MailComposer.Compose(message, options.From, time.GetUtcNow());
        await _slots.WaitAsync(cancellationToken);
        Connection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken);
            var answer = await connection.Client.SendAsync(mime, cancellationToken);
            connection.Sent++;
            connection.LastUsed = time.GetUtcNow();
            _idle.Push(connection);
            connection = null;
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
        finally
        {
            // Whatever failed (a refused recipient too) leaves the connection in a state not worth guessing at.
            connection?.Client.Dispose();
            _slots.Release();
        }
    }

    /// <summary>An idle connection fit for use (checked with NOOP when it has waited), else a new one.</summary>
    private async Task<Connection> OpenAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryPop(out var idle))
        {
            switch (SmtpConnectionPolicy.Decide(idle.Client.IsConnected, idle.LastUsed, idle.Sent, time.GetUtcNow(), options.Smtp))
            {
                case SmtpReuse.Use:
                    return idle;
                case SmtpReuse.CheckFirst:
                    try
                    {
                        await idle.Client.NoOpAsync(cancellationToken);
                        return idle;
                    }
                    catch (Exception e) when (e is IOException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException or SocketException)
                    {
                        idle.Client.Dispose();
                    }

                    break;
                default:
                    await CloseAsync(idle);
                    break;
            }
        }

        var smtp = options.Smtp;
        var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(smtp.TimeoutSeconds).TotalMilliseconds };
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

            return new Connection(client, time.GetUtcNow());
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task CloseAsync(Connection connection)
    {
        try
        {
            if (connection.Client.IsConnected)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await connection.Client.DisconnectAsync(quit: true, quick.Token);
            }
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or SmtpCommandException or OperationCanceledException or SocketException)
        {
            // The server went first; nothing was in flight on an idle connection.
        }
        finally
        {
            connection.Client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryPop(out var idle))
        {
            await CloseAsync(idle);
        }

        _slots.Dispose();
    }

    private sealed class Connection(SmtpClient client, DateTimeOffset opened)
    {
        public SmtpClient Client { get; } = client;

        public DateTimeOffset LastUsed { get; set; } = opened;

        public int Sent { get; set; }
    }
}
