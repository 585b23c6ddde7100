using CallCenter.Contracts.Calls;
using Microsoft.AspNetCore.SignalR;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// Preview dialling from the desk (<see cref="IListPreview"/>): the next list entry held for this agent,
/// then dial (their phone first, then the client) or skip with a reason. Always the signed-in agent's own.
/// </summary>
internal sealed partial class AgentHub
{
    private const int MaxSkipReason = 200;

    /// <summary>The entry this agent holds, or null.</summary>
    public async Task<ListPreviewEntry?> PreviewCurrent() =>
        listPreview.FirstOrDefault() is { } preview && await preview.CurrentAsync(Extension(), Context.ConnectionAborted) is { Done: true } held ? held.Entry : null;

    /// <summary>The next entry for this agent's skills (or the one they hold), held for them alone.</summary>
    public async Task<ListPreviewEntry> PreviewNext()
    {
        var preview = listPreview.FirstOrDefault() ?? throw new HubException(DeskHubText.NoListPreview);
        var result = await preview.NextAsync(Extension(), Context.ConnectionAborted);
        return result is { Done: true, Entry: { } entry } ? entry : throw new HubException(DeskHubText.PreviewRefused(result.Message));
    }

    public async Task<HubResult> PreviewDial(string entryId)
    {
        var preview = listPreview.FirstOrDefault() ?? throw new HubException(DeskHubText.NoListPreview);
        var extension = Extension();
        var id = CheckedId(entryId);
        var result = await preview.DialAsync(extension, id, Context.ConnectionAborted);
        if (!result.Done)
        {
            await audit.RefusedAsync(Context.User!, "preview-dial", id, result.Message ?? "");
            throw new HubException(DeskHubText.PreviewRefused(result.Message));
        }

        await audit.DoneAsync(Context.User!, "preview-dial", id, $"call {result.CallId}");
        return HubResult.Of(result.Message ?? "");
    }

    public async Task<HubResult> PreviewSkip(string entryId, string? reason)
    {
        var preview = listPreview.FirstOrDefault() ?? throw new HubException(DeskHubText.NoListPreview);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxSkipReason)
        {
            throw new HubException(DeskHubText.PreviewRefused($"a skip needs a reason of at most {MaxSkipReason} characters"));
        }

        var id = CheckedId(entryId);
        var result = await preview.SkipAsync(Extension(), id, reason, Context.ConnectionAborted);
        if (!result.Done)
        {
            throw new HubException(DeskHubText.PreviewRefused(result.Message));
        }

        await audit.DoneAsync(Context.User!, "preview-skip", id, reason.Trim());
        return HubResult.Of(result.Message ?? "");
    }

    private static string CheckedId(string? entryId) =>
        string.IsNullOrWhiteSpace(entryId) || entryId.Length > MaxIdLength ? throw new HubException(DeskHubText.PreviewRefused("that is not an entry id")) : entryId;
}
