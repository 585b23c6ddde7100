using System.Security.Claims;
using CallCenter.Data.Catalog;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Auth;

/// <summary>
/// Checks a desk login and password against <c>desk_users</c> (PBKDF2 hashes from ASP.NET Core's
/// <see cref="PasswordHasher{TUser}"/>) and keeps the lockout: <see cref="DeskOptions.MaxFailedSignIns"/>
/// wrong passwords in a row lock the login for <see cref="DeskOptions.LockoutMinutes"/>.
/// </summary>
internal sealed class DeskSignIn(DeskUserRepository users, DeskOptions options, TimeProvider time, ILogger<DeskSignIn> logger)
{
    public const int MaxLoginLength = 64;

    // PBKDF2 cost grows with the input: a cap keeps a huge "password" from tying up a core.
    public const int MaxPasswordLength = 256;

    private static readonly PasswordHasher<string> _hasher = new();

    // An unknown login is checked against this, so it costs the same time as a known one.
    private static readonly Lazy<string> _decoyHash = new(() => _hasher.HashPassword("", Guid.NewGuid().ToString("N")));

    public async Task<(DeskSignInOutcome Outcome, ClaimsPrincipal? Principal)> SignInAsync(
        string login, string password, string? remoteAddress, CancellationToken cancellationToken)
    {
        if (login.Length is 0 or > MaxLoginLength || password.Length is 0 or > MaxPasswordLength)
        {
            AgentDeskLog.SignInFailed(logger, login.Length > MaxLoginLength ? login[..MaxLoginLength] + "…" : login, remoteAddress);
            return (DeskSignInOutcome.Refused, null);
        }

        var now = time.GetUtcNow();
        var found = await users.FindAsync(login, cancellationToken);
        if (found is null)
        {
            _hasher.VerifyHashedPassword(login, _decoyHash.Value, password);
            AgentDeskLog.SignInFailed(logger, login, remoteAddress);
            return (DeskSignInOutcome.Refused, null);
        }

        if (found.IsLockedAt(now))
        {
            // The password is not even checked: a locked login tells nothing about it.
            AgentDeskLog.SignInWhileLocked(logger, login, remoteAddress);
            return (DeskSignInOutcome.Locked, null);
        }

        if (_hasher.VerifyHashedPassword(login, found.User.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            var lockedUntil = await users.RecordFailureAsync(login, options.MaxFailedSignIns, now.AddMinutes(options.LockoutMinutes), cancellationToken);
            AgentDeskLog.SignInFailed(logger, login, remoteAddress);
            if (lockedUntil is { } until)
            {
                AgentDeskLog.LoginLocked(logger, login, until, remoteAddress);
                return (DeskSignInOutcome.Locked, null);
            }

            return (DeskSignInOutcome.Refused, null);
        }

        if (found.FailedSignIns > 0 || found.LockedUntil is not null)
        {
            await users.RecordSuccessAsync(login, cancellationToken);
        }

        AgentDeskLog.SignedIn(logger, login, found.User.Role, remoteAddress);
        return (DeskSignInOutcome.SignedIn, DeskClaims.Principal(found.User));
    }
}
