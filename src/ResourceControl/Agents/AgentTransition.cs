namespace CallCenter.ResourceControl.Agents;

/// <summary>
/// The result of <see cref="AgentStateMachine.Handle"/>: the new state and the effects to carry out, or, when the
/// event does not fit, the unchanged state, no effects and the reason (the REST API answers 409 with it).
/// </summary>
internal sealed record AgentTransition(AgentState State, IReadOnlyList<AgentEffect> Effects, string? Refusal)
{
    public bool Accepted => Refusal is null;

    public static AgentTransition Refuse(AgentState state, string reason) => new(state, [], reason);
}
