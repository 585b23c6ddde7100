namespace CallCenter.ResourceControl.Routing;

/// <summary>The open (not held) waiting calls that need one skill set, best score first.</summary>
internal sealed class CallBucket(SkillSet skills)
{
    public SkillSet Skills { get; } = skills;

    public SortedSet<QueuedCall> Calls { get; } = new(QueuedCall.ByScore);
}
