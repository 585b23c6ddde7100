namespace CallCenter.Integration.Tests;

/// <summary>
/// The shipped config/ folder copied into the platform's working directory with the VIP line's
/// tier check and greeting taken out, so any caller on 95501 is queued for an agent at once (tests
/// that need many agent calls, or an agent call quickly, spend no time in the 7 s greeting).
/// </summary>
internal static class QuickQueueConfig
{
    public const string Line = "95501";

    public static void Prepare(string work)
    {
        var source = Path.Combine(CallCenter.TestSupport.Fixtures.RepositoryRoot, "config");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(work, "config", Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var flow = Path.Combine(work, "config", "flows", Line + ".json");
        var text = File.ReadAllText(flow);
        var quick = text.Replace("\"start\": \"gate\"", "\"start\": \"agent\"", StringComparison.Ordinal);
        if (quick == text)
        {
            throw new InvalidOperationException($"{flow} no longer starts at 'gate': update {nameof(QuickQueueConfig)}");
        }

        File.WriteAllText(flow, quick);
    }
}
