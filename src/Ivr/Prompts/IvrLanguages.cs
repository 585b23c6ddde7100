namespace CallCenter.Ivr.Prompts;

/// <summary>The session languages the engine speaks: every prompt a flow names must exist in each.</summary>
public static class IvrLanguages
{
    public const string Mandarin = "zh";
    public const string English = "en";

    public static IReadOnlyList<string> All { get; } = [Mandarin, English];

    public static bool IsSupported(string? language) => language is Mandarin or English;
}
