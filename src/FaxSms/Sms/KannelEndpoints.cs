using System.Globalization;
using System.Net;
using CallCenter.FaxSms.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Sms;

/// <summary>
/// The two URLs smsbox calls, outside /api/ (smsbox has no API key): GET /sms/kannel/dlr (the dlr-url
/// of each message) and GET /sms/kannel/inbound (the get-url of smsbox's sms-service). Anyone on the
/// network can reach them, so each call must come from <c>Sms:Kannel:GatewayAddresses</c> and carry
/// proof: a delivery report the signature of its message id, an inbound SMS the callback secret.
/// Refusals are 403 without saying which check failed.
/// </summary>
internal static class KannelEndpoints
{
    public const string DlrPath = "/sms/kannel/dlr";
    public const string InboundPath = "/sms/kannel/inbound";

    public static void Map(IEndpointRouteBuilder app, SmsOptions options)
    {
        var signature = new CallbackSignature(options.Kannel.CallbackSecret);
        var gateways = options.Kannel.GatewayNetworks();

        app.MapGet(DlrPath, async (HttpContext context, string? id, string? sig, string? type, string? answer, OutboxStatusWriter reports, TimeProvider time, ILogger<OutboxWorker> logger, CancellationToken cancellationToken) =>
        {
            if (Refuse(context, gateways, signature.Verify(id, sig), logger) is { } refused)
            {
                return refused;
            }

            if (!int.TryParse(type, NumberStyles.None, CultureInfo.InvariantCulture, out var dlrType) || KannelRequest.Report(dlrType, answer) is not var (status, detail))
            {
                return Results.Problem($"Unknown delivery report type \"{type}\".", statusCode: StatusCodes.Status400BadRequest);
            }

            return await reports.ApplyAsync(new DeliveryReport(id!, status, detail, time.GetUtcNow()), cancellationToken)
                ? Results.Text("ok")
                : Results.Problem("No such message.", statusCode: StatusCodes.Status404NotFound);
        });

        app.MapGet(InboundPath, async (HttpContext context, string? secret, string? id, string? from, string? to, string? text, SmsStore store, OutboxSignal signal, TimeProvider time, ILogger<OutboxWorker> logger, CancellationToken cancellationToken) =>
        {
            if (Refuse(context, gateways, signature.IsSecret(secret), logger) is { } refused)
            {
                return refused;
            }

            if (string.IsNullOrEmpty(id) || id.Length > 100)
            {
                return Results.Problem("The gateway's message id (id=%I) is missing.", statusCode: StatusCodes.Status400BadRequest);
            }

            await InboundSmsIntake.TakeAsync(id, from, to, text, store, signal, time, logger, cancellationToken);

            // An empty answer: smsbox's sms-service has max-messages = 0, so nothing is sent back by Kannel
            // itself; the confirmation goes through the outbox, tracked like any other message.
            return Results.Text("");
        });
    }

    private static IResult? Refuse(HttpContext context, IReadOnlyList<IPNetwork> gateways, bool proven, ILogger logger)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is { IsIPv4MappedToIPv6: true })
        {
            remote = remote.MapToIPv4();
        }

        var fromGateway = remote is not null && gateways.Any(n => n.Contains(remote));
        if (fromGateway && proven)
        {
            return null;
        }

        FaxSmsLog.CallbackRefused(logger, context.Request.Path, remote?.ToString() ?? "?", fromGateway ? "bad signature or secret" : "not a gateway address");
        return Results.StatusCode(StatusCodes.Status403Forbidden);
    }
}
