using System.Net;
using System.Security.Claims;
using CallCenter.Data.Catalog;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Auth;

/// <summary>
/// Checks a desk login and password against <c>desk_users</c> (PBKDF2 hashes from ASP.NET Core's
/// <see cref="PasswordHasher{TUser}"/>), within the guessing limits of <see cref="SignInGuard"/>: a source address
/// over its limit is banned (429), a login is locked only from the address that guessed it (423). A login that does
/// not exist goes through the same steps as one that does (a lookup, a PBKDF2 check, the same count and lock), so
/// neither the answer, its time nor the locking tells which logins exist.
/// </summary>
internal sealed class DeskSignIn(DeskUserRepository users, SignInGuard guard, DeskSessions sessions, TimeProvider time, ILogger<DeskSignIn> logger)
{
    public const int MaxLoginLength = 64;

    // PBKDF2 cost grows with the input: a cap keeps a huge "password" from tying up a core.
    public const int MaxPasswordLength = 256;

    private static readonly PasswordHasher<string> _hasher = new();

    // An unknown login is checked against this, so it costs the same time as a known one.
    private static readonly Lazy<string> _decoyHash = new(() => _hasher.HashPassword("", Guid.NewGuid().ToString("N")));

    public SignInGuard Guard => guard;

    public async Task<DeskSignInResult> SignInAsync(string login, string password, IPAddress? remoteAddress, CancellationToken cancellationToken)
    {
        var source = SignInSource.Of(remoteAddress);
        var shown = login.Length > MaxLoginLength ? login[..MaxLoginLength] + "…" : login;
        var now = time.GetUtcNow();
        var check = guard.Check(shown, source, now);
        if (check.Verdict != SignInVerdict.Allowed)
        {
            return Refused(check, shown, source, now);
        }

        if (login.Length is 0 or > MaxLoginLength || password.Length is 0 or > MaxPasswordLength)
        {
            return Failed(shown, source, now);
        }

        var found = await users.FindAsync(login, cancellationToken);
        var hash = found?.PasswordHash ?? _decoyHash.Value;
        // The PBKDF2 check comes first and always runs: testing "found is null" first would answer an unknown login
        // a hundred times faster than a known one.
        if (_hasher.VerifyHashedPassword(login, hash, password) == PasswordVerificationResult.Failed || found is null)
        {
            return Failed(login, source, now);
        }

        guard.Succeed(login, source);
        var session = await sessions.StartAsync(login, cancellationToken);
        AgentDeskLog.SignedIn(logger, login, found.Role, source);
        return new DeskSignInResult(DeskSignInOutcome.SignedIn, DeskClaims.Principal(found, session), TimeSpan.Zero);
    }

    private DeskSignInResult Failed(string login, string source, DateTimeOffset now)
    {
        AgentDeskLog.SignInFailed(logger, login, source);
        var verdict = guard.Fail(login, source, now);
        if (verdict.Verdict == SignInVerdict.Allowed)
        {
            return new DeskSignInResult(DeskSignInOutcome.Refused, null, TimeSpan.Zero);
        }

        LogBeginning(verdict, login, source, now);
        return Answer(verdict);
    }

    private DeskSignInResult Refused(SignInCheck check, string login, string source, DateTimeOffset now)
    {
        if (check.Began)
        {
            // Knocking at a locked login counts against the source: this knock began its ban.
            LogBeginning(check, login, source, now);
        }
        else if (check.Verdict == SignInVerdict.SourceBanned)
        {
            // Not a Warning per attempt: a banned source may knock fast, its failures and its ban are already logged.
            AgentDeskLog.SignInWhileBanned(logger, login, source);
        }
        else
        {
            AgentDeskLog.SignInWhileLocked(logger, login, source);
        }

        return Answer(check);
    }

    private void LogBeginning(SignInCheck verdict, string login, string source, DateTimeOffset now)
    {
        if (verdict.Verdict == SignInVerdict.SourceBanned)
        {
            AgentDeskLog.SourceBanned(logger, source, now + verdict.RetryAfter, guard.Limits.MaxFailuresPerSource, login);
        }
        else
        {
            AgentDeskLog.LoginLocked(logger, login, now + verdict.RetryAfter, source);
        }
    }

    private static DeskSignInResult Answer(SignInCheck check) => new(
        check.Verdict == SignInVerdict.SourceBanned ? DeskSignInOutcome.SourceBanned : DeskSignInOutcome.Locked,
        null,
        check.RetryAfter);
}
