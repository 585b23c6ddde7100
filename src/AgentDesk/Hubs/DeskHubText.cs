using CallCenter.Contracts.Calls;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>The hubs' refusals and answers: one clear sentence in Mandarin, then English (中文 · English).</summary>
internal static class DeskHubText
{
    public const string NotYourCall = "这不是您当前的通话，操作被拒绝 · That call is not your current call; the request was refused.";
    public const string NoAgentOnSession = "此登录没有坐席分机 · This sign-in has no agent extension.";
    public const string BreakNeedsReason = "小休需要填写原因 · A break needs a reason.";
    public const string UnknownState = "状态只能是 available、break 或 offline · The state must be available, break or offline.";
    public const string CodeRequired = "请选择处理结果代码 · Choose a disposition code.";
    public const string NotesTooLong = "备注不能超过 2000 个字符 · Notes may be at most 2000 characters.";
    public const string NumberRequired = "请填写要拨打的号码 · Give the number to dial.";

    public const string TargetRequired = "请填写转接目标（分机或队列） · Give a transfer target: an extension or a queue id.";
    public const string BadLimit = "条数须在 1 到 200 之间 · The limit must be between 1 and 200.";
    public const string NoSupervisorPhone = "您的登录没有分机，无法呼叫您的话机 · Your sign-in has no extension, so your phone cannot be called.";
    public const string UnknownMode = "监听方式只能是 listen、whisper 或 barge · The mode must be listen, whisper or barge.";
    public const string UnknownAgent = "没有这个坐席 · There is no such agent.";
    public const string ReasonTooLong = "原因不能超过 200 个字符 · A reason may be at most 200 characters.";
    public const string Done = "已完成 · Done.";
    public const string NoEmail = "本系统未启用邮件任务 · E-mail tasks are not part of this platform.";

    public const string NoListPreview = "本系统未启用预览外呼 · Preview dialling is not part of this platform.";

    public static string PreviewRefused(string? reason) => $"预览外呼 · List call: {reason}";

    public static string EmailRefused(string reason) => $"邮件回复被拒绝 · The answer was refused: {reason}";

    /// <summary>A refusal from the host's call control: what kind in Mandarin, the host's own sentence in English.</summary>
    public static string Refused(CallControlResult result) => result.Error switch
    {
        CallControlError.UnknownCall => $"没有这个通话 · There is no such call: {result.Message}.",
        CallControlError.NotBridged => $"通话尚未接通坐席，无法操作 · The call is not with an agent: {result.Message}.",
        CallControlError.UnknownTarget => $"转接目标不存在（外线号码无法转接） · Unknown target (numbers need a trunk the platform does not have): {result.Message}.",
        CallControlError.TargetUnavailable => $"目标现在无法接听 · The target cannot take the call now: {result.Message}.",
        _ => $"操作被拒绝 · Refused: {result.Message}.",
    };

    /// <summary>A click-to-dial the host refused: the number (dial plan, do-not-call, quiet hours), no trunk, or the agent's phone.</summary>
    public static string DialRefused(CallControlResult result) => result.Error switch
    {
        CallControlError.TargetUnavailable => $"无法外呼：您的话机现在无法接听 · Cannot dial: your phone cannot take the call now: {result.Message}.",
        _ => $"无法外呼该号码 · Cannot dial that number: {result.Message}.",
    };

    public const string NoCallbacks = "本系统未启用回电预约 · Callbacks are not part of this platform.";

    public static string CallbackRefused(string? reason) => $"回电预约被拒绝 · The callback was not booked: {reason}.";

    public static string CallbackCancelRefused(string? reason) => $"回电未能取消 · The callback was not cancelled: {reason}.";

    /// <summary>A wrap-up the host refused (unknown or inactive code, the call still going on, already wrapped up).</summary>
    public static string WrapUpRefused(CallControlResult result) => $"结束处理被拒绝 · The wrap-up was refused: {result.Message}.";

    public static string StateRefused(string? reason) => $"状态无法这样更改 · The state cannot change so: {reason}.";
}
