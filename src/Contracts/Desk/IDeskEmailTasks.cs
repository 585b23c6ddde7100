namespace CallCenter.Contracts.Desk;

/// <summary>
/// The e-mail tasks an agent's desk shows and answers; the messaging room implements it, the desk uses it
/// (neither references the other). Absent when the messaging room is not in the host.
/// </summary>
public interface IDeskEmailTasks
{
    /// <summary>The tasks offered to <paramref name="agent"/>, oldest first.</summary>
    Task<IReadOnlyList<DeskEmailTask>> OfferedToAsync(string agent, CancellationToken cancellationToken);

    /// <summary>Sends the agent's answer (threaded under the client's mail) and closes the task; a refusal says why.</summary>
    Task<DeskEmailReply> ReplyAsync(string taskId, string agent, string text, CancellationToken cancellationToken);

    /// <summary>The agent takes the task offered to them (else it is offered to someone else after a while); a refusal says why.</summary>
    Task<DeskEmailReply> AcceptAsync(string taskId, string agent, CancellationToken cancellationToken);

    /// <summary>The agent passes on the task offered to them: it goes to another agent; a refusal says why.</summary>
    Task<DeskEmailReply> DeclineAsync(string taskId, string agent, CancellationToken cancellationToken);
}

/// <summary>
/// How the messaging room tells an agent's desk that an e-mail task was offered to them; the desk room
/// implements it (a push over its SignalR hub), so the desk need not poll. Absent without a desk.
/// </summary>
public interface IDeskEmailTaskNotices
{
    /// <summary>Tells <paramref name="agent"/>'s desk, if one is connected, that <paramref name="taskId"/> is now offered to them. Never throws.</summary>
    void Offered(string agent, string taskId);

    /// <summary>Tells <paramref name="agent"/>'s desk that <paramref name="taskId"/> is no longer theirs (<paramref name="reason"/>). Never throws.</summary>
    void Withdrawn(string agent, string taskId, string reason);
}

/// <summary>An e-mail task as the desk shows it, with the client's pop (phone and tier when the sender is a known client).</summary>
public sealed record DeskEmailTask(
    string Id,
    string From,
    string? FromName,
    string Subject,
    string Text,
    string? Client,
    string? Tier,
    DateTimeOffset ReceivedAt,
    int Attachments,
    DateTimeOffset? AcceptedAt = null);

/// <summary>The outcome of an answer: done with the outbox message id, or the reason it was refused.</summary>
public sealed record DeskEmailReply(bool Done, string Message, string? MessageId);
