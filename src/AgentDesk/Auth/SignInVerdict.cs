namespace CallCenter.AgentDesk.Auth;

/// <summary>What <see cref="SignInGuard"/> says about a sign-in attempt.</summary>
internal enum SignInVerdict
{
    /// <summary>Check the password.</summary>
    Allowed,

    /// <summary>The source address is banned: 429 with Retry-After, the password is not checked.</summary>
    SourceBanned,

    /// <summary>This login is locked from this source: 423, the password is not checked.</summary>
    Locked,
}
