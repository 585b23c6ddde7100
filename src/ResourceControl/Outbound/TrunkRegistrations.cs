using CallCenter.Telephony.Sip.Auth;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// Keeps the platform registered to each trunk with <c>Trunks:N:Register=true</c> (RFC 3261 10): a REGISTER
/// as the trunk's user, the registrar's 401 or 407 answered with the trunk's credentials (once per
/// REGISTER, so wrong ones fail instead of looping), refreshed before the granted lifetime runs out, tried
/// again after a failure, and removed (Expires: 0) when the platform stops. Its state goes to
/// <see cref="Trunks"/> for <c>GET /api/trunks</c>. Started after the SIP endpoint and transport are up.
/// </summary>
internal sealed partial class TrunkRegistrations(Trunks trunks, Calls.SipEndpoint endpoint, SipTransport transport, TimeProvider time, ILogger<TrunkRegistrations> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = trunks.All.Where(t => t.Register).Select(t => KeepAsync(t, stoppingToken)).ToList();
        await Task.WhenAll(loops);
    }

    private async Task KeepAsync(Trunk trunk, CancellationToken stopping)
    {
        var contact = Calls.CallSignalling.ContactUri(transport.LocalFor(trunk.Remote.Protocol).EndPoint, trunk.Remote.Protocol, trunk.Username, sips: false);
        var callId = SipMessageBuilder.NewCallId(contact.Host);
        var fromTag = SipMessageBuilder.NewTag();
        var cseq = 0u;
        var registered = false;
        while (!stopping.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var (ok, granted, reason) = await RegisterAsync(trunk, contact, callId, fromTag, () => ++cseq, trunk.RegisterExpires, stopping);
                if (ok && !TrunkRegistrationPlanner.Acceptable(granted))
                {
                    // Too short a lifetime to keep up without flooding the registrar: a failure, tried again later.
                    registered = granted > 0;
                    reason = $"the trunk granted only {granted.ToString(System.Globalization.CultureInfo.InvariantCulture)} s (under {TrunkRegistrationPlanner.MinimumGranted.ToString(System.Globalization.CultureInfo.InvariantCulture)} s)";
                    trunks.Registration(trunk, "failed", null, reason);
                    LogFailed(logger, trunk.Name, reason);
                    wait = TrunkRegistrationPlanner.RetryAfterFailure;
                }
                else if (ok)
                {
                    registered = granted > 0;
                    trunks.Registration(trunk, "registered", time.GetUtcNow().AddSeconds(granted), null);
                    LogRegistered(logger, trunk.Name, granted);
                    wait = TrunkRegistrationPlanner.RefreshAfter(granted);
                }
                else
                {
                    registered = false;
                    trunks.Registration(trunk, "failed", null, reason);
                    LogFailed(logger, trunk.Name, reason!);
                    wait = TrunkRegistrationPlanner.RetryAfterFailure;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception e)
            {
                // Any fault in one registration (a bad answer, a transport error) must not end the loop, nor,
                // through the host, the platform: logged with the trunk's name and tried again later.
                registered = false;
                trunks.Registration(trunk, "failed", null, e.Message);
                LogFailed(logger, trunk.Name, e.Message);
                wait = TrunkRegistrationPlanner.RetryAfterFailure;
            }

            try
            {
                await Task.Delay(wait, time, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (registered)
        {
            // Stopping: the binding is removed, so the carrier stops sending calls to a platform that is gone.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await RegisterAsync(trunk, contact, callId, fromTag, () => ++cseq, 0, bounded.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
            {
                // The endpoint is stopping too; the binding expires on its own.
            }
        }
    }

    /// <summary>One registration: the REGISTER, its challenge answered once; whether it was taken, for how long, and why not.</summary>
    private async Task<(bool Ok, int Granted, string? Reason)> RegisterAsync(Trunk trunk, SipUri contact, string callId, string fromTag, Func<uint> nextCSeq, int expires, CancellationToken cancellationToken)
    {
        var request = TrunkRegistrationPlanner.Register(trunk, contact, callId, fromTag, nextCSeq(), expires);
        var final = await endpoint.Layer.SendRequestAsync(request, trunk.Remote, cancellationToken: cancellationToken);
        if (SipDigestClient.AnswerFinal(final, trunk.Username, trunk.Password, SipMethods.Register, request.RequestUri.ToString()) is { } answer)
        {
            request = TrunkRegistrationPlanner.Register(trunk, contact, callId, fromTag, nextCSeq(), expires, answer);
            final = await endpoint.Layer.SendRequestAsync(request, trunk.Remote, cancellationToken: cancellationToken);
        }

        if (final.IsSuccess)
        {
            return (true, expires == 0 ? 0 : TrunkRegistrationPlanner.Granted(final, contact, expires), null);
        }

        var why = final.StatusCode is 401 or 407
            ? "the trunk refused the credentials (Trunks:N:Username / Password)"
            : TrunkFailover.IsTrunkDown(final)
                ? TrunkFailover.Reason(trunk, final, transport.TlsFailure(trunk.Remote.EndPoint))
                : $"{final.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)} {final.ReasonPhrase}";
        return (false, 0, why);
    }

    [LoggerMessage(4460, LogLevel.Information, "Registered to trunk {Trunk} for {Seconds} s")]
    private static partial void LogRegistered(ILogger logger, string trunk, int seconds);

    [LoggerMessage(4461, LogLevel.Warning, "Registration to trunk {Trunk} failed: {Reason}; tried again in 30 s")]
    private static partial void LogFailed(ILogger logger, string trunk, string reason);
}
