namespace CallCenter.Contracts.Calls;

/// <summary>
/// The screen pop an agent sees when a call is offered: who is calling (client directory), what they
/// did in the IVR (keys of masked entries are "*") and their last interactions. Unknown callers have
/// null client fields. <see cref="OfferedAt"/> is when the platform sent the INVITE to the agent's phone.
/// <see cref="CallerVerified"/> is false when the call came from outside the trusted peers: the number
/// is only the caller's claim and was not looked up. <see cref="VerifiedByPin"/> is true when the
/// caller keyed a fund account's trading PIN in self-service and the back office accepted it; a call
/// identified only by its number is not, and the pop carries no balances either way.
/// <see cref="VerifiedAccountMasked"/> is that fund account, its last four digits only: the PIN proves the
/// caller holds that account, not that they are the client the number's directory entry names (a shared
/// line, another client's phone), so the desk shows which account was verified.
/// <see cref="AccountManager"/> is the manager's extension when they are a hotline agent; a manager outside
/// the hotline (branch sales staff) has only <see cref="AccountManagerName"/> and <see cref="AccountManagerPhone"/>.
/// <see cref="AccountManagerDeniedAt"/> is when the client said on a new-account confirmation call that this manager is
/// not theirs (the relationship flagged for removal; the call was not held for that manager).
/// </summary>
public sealed record CallPop(
    string CallId,
    string Agent,
    string Caller,
    string Dialed,
    DateTimeOffset OfferedAt,
    string? Name,
    string? Tier,
    string? MaskedAccount,
    string? AccountManager,
    string? AccountManagerName,
    string? Language,
    string? Branch,
    string? Queue,
    double WaitSeconds,
    IReadOnlyList<PopIvrStep> IvrPath,
    IReadOnlyList<PopInteraction> Recent,
    bool CallerVerified = true,
    bool VerifiedByPin = false,
    string? AccountManagerPhone = null,
    string? TierZh = null,
    string? TierEn = null,
    string? TierColour = null,
    string? VerifiedAccountMasked = null,
    DateTimeOffset? AccountManagerDeniedAt = null);
