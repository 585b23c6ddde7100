namespace CallCenter.AgentDesk;

/// <summary>
/// What /health shows under <c>desk</c> (camelCase): failed sign-ins, address bans and login locks started, attempts
/// refused by a ban or lock without a password check, addresses banned and logins locked now, sources tracked and
/// dropped from the bounded tables, sessions ended by sign-out, cookies refused because their session had ended
/// (sign-out, new password), and cookie POSTs refused for a missing or invalid anti-forgery token.
/// </summary>
public sealed record DeskHealthSnapshot(
    long SignInFailures,
    long SignInBans,
    long SignInLockouts,
    long SignInRefused,
    int AddressesBanned,
    int LoginsLocked,
    int SignInSourcesTracked,
    long SignInSourcesDropped,
    long SessionsSignedOut,
    long EndedSessionsRefused,
    long AntiforgeryRefused);
