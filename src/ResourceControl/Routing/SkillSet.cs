namespace CallCenter.ResourceControl.Routing;

/// <summary>A normalised set of required skills; its <see cref="Key"/> groups calls that the same agents may take.</summary>
internal sealed class SkillSet
{
    private SkillSet(string[] items, string key)
    {
        Items = items;
        Key = key;
    }

    public string[] Items { get; }

    public string Key { get; }

    public static SkillSet Create(IEnumerable<string?> skills)
    {
        var items = skills
            .Where(s => !string.IsNullOrWhiteSpace(s))
            .Select(s => s!.Trim().ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return new SkillSet(items, string.Join(',', items));
    }

    public bool IsSatisfiedBy(IReadOnlySet<string> agentSkills)
    {
        foreach (var skill in Items)
        {
            if (!agentSkills.Contains(skill))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Items.Length == 0 ? "(none)" : Key;
}
