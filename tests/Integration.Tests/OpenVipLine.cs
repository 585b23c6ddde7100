namespace CallCenter.Integration.Tests;

/// <summary>
/// The shipped config/ folder copied into the platform's working directory with the VIP line's tier
/// check taken out (the flow starts at the greeting), so any caller on 95501 reaches the vip queue as
/// before the line was for VIPs only: for tests of agent calls that use ordinary and unknown callers.
/// The check itself is tested by <see cref="VipLineTests"/>.
/// </summary>
internal static class OpenVipLine
{
    public static void Prepare(string work)
    {
        var source = Path.Combine(CallCenter.TestSupport.Fixtures.RepositoryRoot, "config");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(work, "config", Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var flow = Path.Combine(work, "config", "flows", "95501.json");
        var text = File.ReadAllText(flow);
        var open = text.Replace("\"start\": \"gate\"", "\"start\": \"welcome\"", StringComparison.Ordinal);
        if (open == text)
        {
            throw new InvalidOperationException($"{flow} no longer starts at 'gate': update {nameof(OpenVipLine)}");
        }

        File.WriteAllText(flow, open);
    }
}
