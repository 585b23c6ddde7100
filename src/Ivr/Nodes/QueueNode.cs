using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary>
/// <c>queue</c> (terminal): optional prompts (not interruptible), then the caller is queued
/// for an agent with the node's skills plus, by default, the session language as a skill.
/// </summary>
internal sealed class QueueNode : IvrNode
{
    public QueueNode(string flowId, string id, string queue, IReadOnlyList<string> skills, bool languageSkill, int priority, IReadOnlyList<string> prompts)
        : base(flowId, id)
    {
        Queue = queue;
        Skills = skills;
        LanguageSkill = languageSkill;
        Priority = priority;
        Prompts = prompts;
    }

    public string Queue { get; }

    public IReadOnlyList<string> Skills { get; }

    public bool LanguageSkill { get; }

    public int Priority { get; }

    public IReadOnlyList<string> Prompts { get; }

    public override IEnumerable<IvrTarget> Targets => [];

    public override IEnumerable<string> PromptNames => Prompts;

    public override void Enter(IvrRuntime runtime)
    {
        if (Prompts.Count > 0)
        {
            runtime.Play(Prompts, bargeIn: false);
        }
        else
        {
            Complete(runtime);
        }
    }

    public override void OnPlaybackFinished(IvrRuntime runtime) => Complete(runtime);

    private void Complete(IvrRuntime runtime)
    {
        var skills = LanguageSkill && !Skills.Contains(runtime.Language, StringComparer.Ordinal)
            ? [.. Skills, runtime.Language]
            : Skills;
        runtime.Finish(new IvrAction.QueueForAgent(Queue, skills, Priority));
    }
}
