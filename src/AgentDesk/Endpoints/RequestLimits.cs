namespace CallCenter.AgentDesk.Endpoints;

/// <summary>Lengths of the request fields the desk and the API take, so that no field can carry an essay into the state and the logs.</summary>
internal static class RequestLimits
{
    /// <summary>A state change's reason ("lunch", "training"), as shown on the wallboard and kept in the event log.</summary>
    public const int MaxReason = 200;

    /// <summary>A transfer or consult target: an extension or a queue id.</summary>
    public const int MaxTarget = 64;

    public static string ReasonTooLong => $"原因不能超过 {MaxReason} 个字符 · reason may be at most {MaxReason} characters.";

    public static string TargetTooLong => $"转接目标不能超过 {MaxTarget} 个字符 · target may be at most {MaxTarget} characters.";
}
