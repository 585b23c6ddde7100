namespace CallCenter.Data.Catalog;

/// <summary>A desk login as sign-in sees it: the user and its lockout state.</summary>
public sealed record DeskUserSignIn(DeskUserRecord User, int FailedSignIns, DateTimeOffset? LockedUntil)
{
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;
}
