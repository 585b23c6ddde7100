using CallCenter.Contracts.Desk;
using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>The desk's view of e-mail tasks (<see cref="IDeskEmailTasks"/>) over <see cref="EmailTaskRepository"/>.</summary>
public sealed class DeskEmailTasks(EmailTaskRepository tasks, OutboxSignal outbox, EmailTaskSignal offers, TimeProvider time) : IDeskEmailTasks
{
    public async Task<IReadOnlyList<DeskEmailTask>> OfferedToAsync(string agent, CancellationToken cancellationToken)
    {
        var list = await tasks.ListAsync(EmailTaskStatus.Offered, agent, 50, cancellationToken);
        return [.. list.OrderBy(t => t.ReceivedAt).Select(t => new DeskEmailTask(t.Id, t.Sender, t.SenderName, t.Subject, t.Body, t.ClientPhone, t.Tier, t.ReceivedAt, t.Attachments.Count, t.AcceptedAt))];
    }

    public async Task<DeskEmailReply> ReplyAsync(string taskId, string agent, string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MessageRequest.MaxEmailLength)
        {
            return new DeskEmailReply(false, $"The answer must be 1-{MessageRequest.MaxEmailLength} characters.", null);
        }

        var (messageId, error) = await tasks.ReplyAsync(taskId, agent, text, time.GetUtcNow(), cancellationToken);
        if (messageId is null)
        {
            return new DeskEmailReply(false, error!, null);
        }

        outbox.Notify();
        offers.Notify();
        return new DeskEmailReply(true, $"Answer {messageId} queued; task {taskId} closed.", messageId);
    }

    public async Task<DeskEmailReply> AcceptAsync(string taskId, string agent, CancellationToken cancellationToken)
    {
        if (await tasks.AcceptAsync(taskId, agent, time.GetUtcNow(), cancellationToken) is { } refused)
        {
            return new DeskEmailReply(false, refused, null);
        }

        // The routing round tells presence at once: the agent is not offered calls while the task is theirs.
        offers.Notify();
        return new DeskEmailReply(true, $"Task {taskId} accepted.", null);
    }

    public async Task<DeskEmailReply> DeclineAsync(string taskId, string agent, CancellationToken cancellationToken)
    {
        if (await tasks.DeclineAsync(taskId, agent, time.GetUtcNow(), cancellationToken) is { } refused)
        {
            return new DeskEmailReply(false, refused, null);
        }

        offers.Notify();
        return new DeskEmailReply(true, $"Task {taskId} declined; it goes to another agent.", null);
    }
}
