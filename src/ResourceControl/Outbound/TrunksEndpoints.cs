namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// <c>GET /api/trunks</c>: each configured trunk in order (the failover order): <c>name</c>, <c>address</c> (the IP end point;
/// <c>hostName</c> is the name it was resolved from at the start, null for an IP address),
/// <c>transport</c>, <c>callerId</c>, <c>registration</c> (<c>off</c> | <c>registering</c> | <c>registered</c> |
/// <c>failed</c>), <c>registeredUntil</c>, <c>registrationReason</c>, and the last time it was found down
/// (<c>lastFailure</c>, <c>lastFailureAt</c>). Never a password. Mapped on the host's /api group.
/// </summary>
internal static class TrunksEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/trunks", (Trunks trunks) => Results.Ok(trunks.Status()));
}
