namespace CallCenter.AgentDesk.Auth;

/// <summary>
/// A verdict of <see cref="SignInGuard"/>, how long it lasts (zero when allowed), and whether this very attempt
/// began the ban or lock (so that it is logged once, when it starts).
/// </summary>
internal readonly record struct SignInCheck(SignInVerdict Verdict, TimeSpan RetryAfter, bool Began = false);
