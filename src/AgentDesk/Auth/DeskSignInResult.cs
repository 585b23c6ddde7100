using System.Security.Claims;

namespace CallCenter.AgentDesk.Auth;

/// <summary>A sign-in's outcome, the session's principal when signed in, and how long a ban or lock lasts.</summary>
internal sealed record DeskSignInResult(DeskSignInOutcome Outcome, ClaimsPrincipal? Principal, TimeSpan RetryAfter);
