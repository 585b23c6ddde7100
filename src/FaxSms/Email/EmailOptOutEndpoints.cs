using System.Security.Claims;
using CallCenter.FaxSms.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.FaxSms.Email;

/// <summary>
/// /api/email-opt-outs on the host's /api group: GET (newest first), GET /{address}, PUT /{address}
/// (the client asked an operator, by phone or at a branch, to stop e-mail broadcasts: 201 when new,
/// 200 when it was already so) and DELETE /{address} (they want them again: 204, or 404). No link in a
/// mail is needed for either; a mail saying "退订"/"unsubscribe" to the inbound mailbox does the same by itself.
/// </summary>
internal static class EmailOptOutEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/email-opt-outs", async (int? limit, EmailOptOuts optOuts, CancellationToken cancellationToken) =>
            limit is < 1 or > 10_000
                ? Results.Problem("\"limit\" must be 1-10000.", statusCode: StatusCodes.Status400BadRequest)
                : Results.Json((await optOuts.ListAsync(limit ?? 500, cancellationToken)).Select(View)));

        api.MapGet("/email-opt-outs/{address}", async (string address, EmailOptOuts optOuts, CancellationToken cancellationToken) =>
            Check(address) is { } refused ? refused
            : await optOuts.FindAsync(address, cancellationToken) is { } entry ? Results.Json(View(entry))
            : Results.Problem($"{EmailOptOut.Address(address)} has not opted out of e-mail broadcasts.", statusCode: StatusCodes.Status404NotFound));

        api.MapPut("/email-opt-outs/{address}", async (string address, ClaimsPrincipal user, EmailOptOuts optOuts, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (Check(address) is { } refused)
            {
                return refused;
            }

            var added = await optOuts.AddAsync(address, "api", "api:" + (user.Identity?.Name ?? "api-key"), time.GetUtcNow(), cancellationToken);
            var entry = await optOuts.FindAsync(address, cancellationToken);
            return Results.Json(View(entry!), statusCode: added ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        });

        api.MapDelete("/email-opt-outs/{address}", async (string address, EmailOptOuts optOuts, CancellationToken cancellationToken) =>
            Check(address) is { } refused ? refused
            : await optOuts.RemoveAsync(address, cancellationToken) ? Results.NoContent()
            : Results.Problem($"{EmailOptOut.Address(address)} had not opted out of e-mail broadcasts.", statusCode: StatusCodes.Status404NotFound));
    }

    private static IResult? Check(string address) =>
        Recipients.Email(address).Error is { } error ? Results.Problem(error, statusCode: StatusCodes.Status400BadRequest) : null;

    private static object View(EmailOptOutEntry e) => new { address = e.Address, keyword = e.Keyword, source = e.Source, at = e.At };
}
