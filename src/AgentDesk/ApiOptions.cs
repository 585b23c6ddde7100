namespace CallCenter.AgentDesk;

/// <summary>The <c>Api</c> section: keys accepted in the X-Api-Key header of /api/.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    public List<string> Keys { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (Keys.Any(k => k.Length < 8))
        {
            yield return "Api:Keys: every key must be at least 8 characters long.";
        }
    }
}
