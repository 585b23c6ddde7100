using CallCenter.AgentDesk.Auth;
using CallCenter.AgentDesk.Endpoints;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
using CallCenter.Contracts.Desk;
using CallCenter.Data.Calls;
using CallCenter.Data.Desk;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// <c>/hubs/agent</c>: a signed-in agent's desk (role agent; the agent is the session's extension). Each
/// connection joins <c>agent:&lt;extension&gt;</c>, where <see cref="DeskEvents"/> sends pops and states.
/// Every call id is checked against the agent's own call: another agent's call is refused, audited and logged.
/// </summary>
internal sealed partial class AgentHub(
    IAgentStates agents,
    IDeskCalls deskCalls,
    ICallControl callControl,
    DeskEvents events,
    DispositionCodeRepository codes,
    CallRecordRepository records,
    DeskTimings timings,
    DeskAudit audit,
    TimeProvider time,
    ILogger<AgentHub> logger,
    IEnumerable<IDeskEmailTasks> emailTasks,
    IEnumerable<IListPreview> listPreview,
    IEnumerable<IDeskCallbacks> deskCallbacks) : Hub<IAgentClient>
{
    public const string Path = "/hubs/agent";
    public const int MaxHistory = 200;
    public const int MaxNotes = 2000;
    private const int MaxIdLength = 64;

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, DeskEvents.AgentGroup(Extension()));
        await base.OnConnectedAsync();
    }

    public async Task<AgentCurrent> Current()
    {
        var extension = Extension();
        var agent = Snapshot(extension) ?? new AgentSnapshot(extension, "offline", false, time.GetUtcNow(), null, null);
        var pop = events.PopOf(extension) is { } p && p.CallId == agent.CallId ? p : null;
        var call = events.CallOf(extension) is { } c && c.CallId == agent.CallId ? c : null;
        var active = await codes.ListAsync(activeOnly: true, Context.ConnectionAborted);
        return new AgentCurrent(agent, pop, call, [.. active.Select(d => new DispositionCodeView(d.Code, d.LabelZh, d.LabelEn))], timings.WrapUpSeconds);
    }

    public async Task<HubResult> SetState(string state, string? reason)
    {
        var extension = Extension();
        if (string.Equals(state, "break", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(reason))
        {
            throw new HubException(DeskHubText.BreakNeedsReason);
        }

        if (reason is { Length: > Endpoints.RequestLimits.MaxReason })
        {
            await audit.RefusedAsync(Context.User!, "set-state", extension, $"reason of {reason.Length} characters");
            throw new HubException(DeskHubText.ReasonTooLong);
        }

        var change = agents.Request(extension, state ?? "", reason?.Trim());
        if (change.Accepted)
        {
            // In a cluster, kept for after a call another node holds: the message says so.
            return HubResult.Of(change.AfterCall && change.Reason is { } afterCall ? afterCall : DeskHubText.Done);
        }

        await audit.RefusedAsync(Context.User!, "set-state", extension, $"{state}: {change.Reason ?? change.Error.ToString()}");
        throw new HubException(change.Error switch
        {
            AgentStateChangeError.UnknownState => DeskHubText.UnknownState,
            AgentStateChangeError.UnknownAgent => DeskHubText.UnknownAgent,
            _ => DeskHubText.StateRefused(change.Reason),
        });
    }

    public async Task<HubResult> Hold(string callId) => await OnOwnCallAsync("hold", callId, () => deskCalls.HoldAsync(callId));

    public async Task<HubResult> Resume(string callId) => await OnOwnCallAsync("resume", callId, () => deskCalls.ResumeAsync(callId));

    public async Task<HubResult> HangUp(string callId) => await OnOwnCallAsync("hang-up", callId, () => deskCalls.HangUpAsync(callId));

    public async Task<HubResult> Transfer(string callId, string target) =>
        await OnOwnCallAsync("transfer", callId, () => callControl.TransferAsync(callId, Target(target)));

    public async Task<HubResult> Consult(string callId, string target) =>
        await OnOwnCallAsync("consult", callId, () => callControl.ConsultAsync(callId, Target(target)));

    /// <summary>Click-to-dial from the pop or the history: the agent's own phone rings first, then <paramref name="number"/>.</summary>
    public async Task<HubResult> Dial(string number)
    {
        var extension = Extension();
        if (string.IsNullOrWhiteSpace(number) || number.Length > Endpoints.RequestLimits.MaxTarget)
        {
            throw new HubException(DeskHubText.NumberRequired);
        }

        var result = await deskCalls.DialAsync(extension, number.Trim());
        if (!result.Done)
        {
            await audit.RefusedAsync(Context.User!, "dial", extension, $"{number.Trim()}: {result.Message}");
            throw new HubException(DeskHubText.DialRefused(result));
        }

        await audit.DoneAsync(Context.User!, "dial", extension, $"{number.Trim()}: call {result.CallId}");
        return HubResult.Of(result.Message);
    }

    public async Task<HubResult> CompleteConsult(string callId) => await OnOwnCallAsync("complete-consult", callId, () => callControl.CompleteConsultAsync(callId));

    public async Task<HubResult> CancelConsult(string callId) => await OnOwnCallAsync("cancel-consult", callId, () => callControl.CancelConsultAsync(callId));

    public async Task<HubResult> WrapUp(string callId, string code, string? notes)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            throw new HubException(DeskHubText.CodeRequired);
        }

        if (notes is { Length: > MaxNotes })
        {
            throw new HubException(DeskHubText.NotesTooLong);
        }

        var extension = Extension();
        return await OnOwnCallAsync("wrap-up", callId, () => deskCalls.WrapUpAsync(extension, callId, code.Trim(), string.IsNullOrWhiteSpace(notes) ? null : notes.Trim()), afterEnd: true, refused: DeskHubText.WrapUpRefused);
    }

    /// <summary>The agent's own call records, newest first, as <c>GET /api/calls</c> shows them.</summary>
    public async Task<IReadOnlyList<object>> History(int limit)
    {
        if (limit is < 1 or > MaxHistory)
        {
            throw new HubException(DeskHubText.BadLimit);
        }

        var own = await records.ListByAgentAsync(Extension(), limit, Context.ConnectionAborted);
        return [.. own.Select(CallsEndpoints.ToJson)];
    }

    /// <summary>The e-mail tasks offered to this agent, oldest first, each with the client's pop (phone, tier).</summary>
    public async Task<IReadOnlyList<DeskEmailTask>> EmailTasks() =>
        emailTasks.FirstOrDefault() is { } tasks ? await tasks.OfferedToAsync(Extension(), Context.ConnectionAborted) : [];

    /// <summary>Answers an e-mail task offered to this agent: the reply goes out threaded and the task closes.</summary>
    public async Task<HubResult> ReplyEmail(string taskId, string text)
    {
        var tasks = emailTasks.FirstOrDefault() ?? throw new HubException(DeskHubText.NoEmail);
        var extension = Extension();
        var reply = await tasks.ReplyAsync(taskId ?? "", extension, text ?? "", Context.ConnectionAborted);
        if (!reply.Done)
        {
            await audit.RefusedAsync(Context.User!, "reply-email", Shorten(taskId), reply.Message);
            throw new HubException(DeskHubText.EmailRefused(reply.Message));
        }

        return HubResult.Of(reply.Message);
    }

    /// <summary>Takes an e-mail task offered to this agent (else it goes to another agent after <c>Mail:Imap:AcceptSeconds</c>).</summary>
    public Task<HubResult> AcceptEmail(string taskId) => EmailTaskStepAsync("accept-email", taskId, (tasks, extension) => tasks.AcceptAsync(taskId ?? "", extension, Context.ConnectionAborted));

    /// <summary>Passes on an e-mail task offered to this agent: it goes to another agent.</summary>
    public Task<HubResult> DeclineEmail(string taskId) => EmailTaskStepAsync("decline-email", taskId, (tasks, extension) => tasks.DeclineAsync(taskId ?? "", extension, Context.ConnectionAborted));

    private async Task<HubResult> EmailTaskStepAsync(string action, string? taskId, Func<IDeskEmailTasks, string, Task<DeskEmailReply>> step)
    {
        var tasks = emailTasks.FirstOrDefault() ?? throw new HubException(DeskHubText.NoEmail);
        var done = await step(tasks, Extension());
        if (!done.Done)
        {
            await audit.RefusedAsync(Context.User!, action, Shorten(taskId), done.Message);
            throw new HubException(DeskHubText.EmailRefused(done.Message));
        }

        return HubResult.Of(done.Message);
    }

    /// <summary>
    /// Runs <paramref name="act"/> when <paramref name="callId"/> is the agent's current call (ringing, talking
    /// or in wrap-up; with <paramref name="afterEnd"/> also their last call once its wrap-up time ran out).
    /// </summary>
    private async Task<HubResult> OnOwnCallAsync(string action, string callId, Func<Task<CallControlResult>> act, bool afterEnd = false, Func<CallControlResult, string>? refused = null)
    {
        var extension = Extension();
        var current = Snapshot(extension)?.CallId;
        var own = !string.IsNullOrEmpty(callId)
            && (callId == current || (afterEnd && current is null && events.CallOf(extension) is { State: DeskCallPhase.Ended } last && last.CallId == callId));
        if (!own)
        {
            var shown = Shorten(callId);
            HubLog.ForeignCall(logger, Context.User?.Identity?.Name ?? "?", extension, action, shown);
            await audit.RefusedAsync(Context.User!, action, shown, $"not the agent's call (agent {extension}, current call {current ?? "none"})");
            throw new HubException(DeskHubText.NotYourCall);
        }

        var result = await act();
        if (!result.Done)
        {
            var message = (refused ?? DeskHubText.Refused)(result);
            await audit.RefusedAsync(Context.User!, action, callId, result.Message);
            throw new HubException(message);
        }

        return HubResult.Of(result.Message);
    }

    private static string Target(string target) =>
        string.IsNullOrWhiteSpace(target) ? throw new HubException(DeskHubText.TargetRequired) : target.Trim();

    private static string Shorten(string? id) => id is null ? "(none)" : id.Length > MaxIdLength ? id[..MaxIdLength] + "…" : id;

    private AgentSnapshot? Snapshot(string extension) => agents.List().FirstOrDefault(a => a.Id == extension);

    private string Extension() =>
        Context.User is { } user && DeskClaims.AgentOf(user) is { Length: > 0 } extension ? extension : throw new HubException(DeskHubText.NoAgentOnSession);
}
