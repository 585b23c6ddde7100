using System.Globalization;
using CallCenter.Contracts.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>
/// GET /api/metrics?date=2026-11-22&amp;intervalMinutes=15&amp;serviceLevelSeconds=20: service level, ASA,
/// abandonment, AHT and occupancy with their definitions. Every parameter is optional; a bad one is
/// answered with 400 and a problem+json body whose <c>parameter</c> names it.
/// </summary>
internal static class MetricsEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/metrics", async (string? date, string? intervalMinutes, string? serviceLevelSeconds, IMetricsReports metrics, CancellationToken cancellationToken) =>
        {
            DateOnly? day = null;
            if (date is not null)
            {
                if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    return BadParameter(nameof(date), "date must be a calendar day written yyyy-MM-dd, such as 2026-11-22.");
                }

                day = parsed;
            }

            if (!TryParseInRange(intervalMinutes, MetricsLimits.MinIntervalMinutes, MetricsLimits.MaxIntervalMinutes, out var interval))
            {
                return BadParameter(nameof(intervalMinutes), $"intervalMinutes must be a whole number from {MetricsLimits.MinIntervalMinutes} to {MetricsLimits.MaxIntervalMinutes}.");
            }

            if (!TryParseInRange(serviceLevelSeconds, MetricsLimits.MinServiceLevelSeconds, MetricsLimits.MaxServiceLevelSeconds, out var threshold))
            {
                return BadParameter(nameof(serviceLevelSeconds), $"serviceLevelSeconds must be a whole number from {MetricsLimits.MinServiceLevelSeconds} to {MetricsLimits.MaxServiceLevelSeconds}.");
            }

            return Results.Json(await metrics.ComputeAsync(day, interval, threshold, cancellationToken));
        });

    /// <summary>True for a missing value (null result) or a whole number in [min, max].</summary>
    private static bool TryParseInRange(string? text, int min, int max, out int? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            return false;
        }

        value = parsed;
        return true;
    }

    private static IResult BadParameter(string parameter, string detail) =>
        Results.Problem(
            detail,
            statusCode: StatusCodes.Status400BadRequest,
            title: $"Bad query parameter \"{parameter}\"",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
