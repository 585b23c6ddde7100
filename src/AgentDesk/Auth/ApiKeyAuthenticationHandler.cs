using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallCenter.AgentDesk.Auth;

/// <summary>
/// Authenticates REST API callers by the X-Api-Key header against <c>Api:Keys</c> (design.md
/// section 4). Keys are compared in constant time and never logged.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiOptions api) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var offered = Encoding.UTF8.GetBytes(values[0]!);
        var match = false;
        foreach (var key in api.Keys)
        {
            // Every key is compared, so the time taken does not tell which one nearly matched.
            match |= CryptographicOperations.FixedTimeEquals(offered, Encoding.UTF8.GetBytes(key));
        }

        if (!match)
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key"), new Claim(ClaimTypes.Role, "api")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
