using CallCenter.Contracts.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.FaxSms.Sms;

/// <summary>
/// <c>GET /api/sms/inbound?status=received|opt-out|malformed&amp;limit=N</c>: the inbound SMS kept, newest
/// first, for an operator to see what came in and why one was not taken (a malformed one keeps its reason).
/// Mapped on the host's /api group (API key, or a signed-in supervisor or admin; agents are refused). The
/// sender is masked as elsewhere on the API (138****0001): the list is for finding a problem, not for
/// collecting clients' numbers.
/// </summary>
internal static class InboundSmsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/sms/inbound", async (string? status, int? limit, SmsStore store, CancellationToken cancellationToken) =>
        {
            if (status is not null and not InboundSms.Received and not InboundSms.OptOut and not InboundSms.Malformed)
            {
                return Results.Problem("status must be \"received\", \"opt-out\" or \"malformed\".", statusCode: StatusCodes.Status400BadRequest);
            }

            var rows = await store.ListInboundAsync(status, Math.Clamp(limit ?? 50, 1, 500), cancellationToken);
            return Results.Json(rows.Select(View));
        });
    }

    private static object View(StoredInboundSms row) => new
    {
        seq = row.Seq,
        gatewayId = row.Sms.GatewayId,
        from = WaitingCallerView.Mask(row.Sms.Sender),
        to = row.Sms.Receiver,
        text = row.Sms.Body,
        receivedAt = row.ReceivedAt,
        status = row.Sms.Outcome,
        reason = MaskNumbers(row.Sms.Reason, row.Sms.Sender),
    };

    /// <summary>
    /// The reason as kept, with the sender's number masked where it quotes it (a number check says
    /// <c>"02155551234" is not a mobile number</c>): the masked <c>from</c> would be pointless otherwise.
    /// </summary>
    internal static string? MaskNumbers(string? reason, string sender)
    {
        if (reason is null)
        {
            return null;
        }

        if (sender.Length > 0)
        {
            reason = reason.Replace(sender, WaitingCallerView.Mask(sender), StringComparison.Ordinal);
        }

        // And any other run of five or more digits (the number as the gateway or parser reworded it).
        return System.Text.RegularExpressions.Regex.Replace(reason, @"\+?\d{5,}", m => WaitingCallerView.Mask(m.Value), System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
    }
}
