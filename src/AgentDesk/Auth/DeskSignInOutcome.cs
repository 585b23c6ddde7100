namespace CallCenter.AgentDesk.Auth;

/// <summary>What a desk sign-in attempt came to.</summary>
internal enum DeskSignInOutcome
{
    SignedIn,

    /// <summary>Wrong password or unknown login: the same answer for both, so logins cannot be guessed.</summary>
    Refused,

    /// <summary>The login is locked from this source address; said without telling whether the password was right.</summary>
    Locked,

    /// <summary>The source address made too many failed sign-ins and is banned for a while (429).</summary>
    SourceBanned,
}
