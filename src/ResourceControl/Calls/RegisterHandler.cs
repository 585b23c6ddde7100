using System.Net;
using CallCenter.Telephony.Sip.Auth;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Registrar;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// REGISTER from agent phones: digest authentication, then the registrar (RFC 3261 10.3), with
/// guessing slowed down by <see cref="SipAuthLimiter"/>: every wrong password is logged and
/// counted, and a source over the limits is banned. A banned source's REGISTERs are dropped
/// without an answer (issue 12, "silently dropped where answering would help an attacker": a 401
/// hands a guesser a fresh nonce, a 403 confirms the ban and invites a change of address), so that
/// the guesser can only time out. Only REGISTER is limited: INVITEs to the hotline are not
/// challenged, and a ban must not silence a carrier whose address a UDP spoofer borrowed.
/// </summary>
internal sealed partial class RegisterHandler(
    SipRegistrar registrar,
    SipDigestAuthenticator authenticator,
    SipAuthLimiter limiter,
    TimeProvider time,
    ILogger<RegisterHandler> logger)
{
    private long _droppedBanned;

    /// <summary>REGISTERs dropped unanswered because their source was (or just got) banned, retransmissions included.</summary>
    public long DroppedBanned => Interlocked.Read(ref _droppedBanned);

    public SipAuthLimiter Limiter => limiter;

    /// <summary>The response to send, or null: the request is to be dropped without an answer.</summary>
    public async ValueTask<SipResponse?> HandleAsync(SipRequest request, SipRemote source)
    {
        var now = time.GetUtcNow();
        var address = source.EndPoint.Address;
        if (limiter.IsBanned(address, now))
        {
            Interlocked.Increment(ref _droppedBanned);
            return null;
        }

        var auth = await authenticator.AuthenticateAsync(request, now);
        if (auth.IsAuthenticated)
        {
            limiter.RecordSuccess(address, auth.Username!, now);
            return await registrar.RegisterAsync(request, auth.Username!, source, now);
        }

        // Only a wrong password (or unknown user) is a guess: a first REGISTER without credentials,
        // a stale nonce or a replayed count is what every honest phone sends now and then.
        if (auth.Failure != SipAuthFailure.InvalidCredentials)
        {
            return auth.Response;
        }

        var user = Printable(auth.AttemptedUsername);
        var ban = limiter.RecordFailure(address, auth.AttemptedUsername, now);
        LogAuthFailed(logger, user, source.EndPoint);
        if (ban == SipAuthBan.None)
        {
            return auth.Response;
        }

        Interlocked.Increment(ref _droppedBanned);
        var seconds = (int)limiter.Limits.Ban.TotalSeconds;
        if (ban == SipAuthBan.SourceLimit)
        {
            LogBannedForSource(logger, address, seconds, limiter.Limits.FailuresPerSource, (int)limiter.Limits.Window.TotalSeconds);
        }
        else
        {
            LogBannedForExtension(logger, address, seconds, user);
        }

        return null;
    }

    /// <summary>The attempted username for a log line: at most 64 characters, nothing but printable ASCII (it is the guesser's text).</summary>
    private static string Printable(string? username)
    {
        if (string.IsNullOrEmpty(username))
        {
            return "(none)";
        }

        var text = username.Length > SipAuthLimiter.MaxExtensionLength ? username[..SipAuthLimiter.MaxExtensionLength] : username;
        return string.Create(text.Length, text, static (span, value) =>
        {
            for (var i = 0; i < value.Length; i++)
            {
                span[i] = value[i] is >= ' ' and <= '~' ? value[i] : '?';
            }
        });
    }

    // No digest response, nonce or password ever reaches these lines: only who tried, and from where.
    [LoggerMessage(2800, LogLevel.Warning, "SIP digest failure: REGISTER as {Username} from {Source} with a wrong password or unknown user")]
    private static partial void LogAuthFailed(ILogger logger, string username, IPEndPoint source);

    [LoggerMessage(2801, LogLevel.Warning, "SIP source {Source} banned for {Seconds} s: more than {Limit} wrong digest passwords in {Window} s; its REGISTERs are dropped unanswered")]
    private static partial void LogBannedForSource(ILogger logger, IPAddress source, int seconds, int limit, int window);

    [LoggerMessage(2802, LogLevel.Warning, "SIP source {Source} banned for {Seconds} s: extension {Username} is being guessed from many addresses and this one never registered it; its REGISTERs are dropped unanswered")]
    private static partial void LogBannedForExtension(ILogger logger, IPAddress source, int seconds, string username);
}
