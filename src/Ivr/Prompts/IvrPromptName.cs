namespace CallCenter.Ivr.Prompts;

/// <summary>
/// The shape of a prompt name: lower-case words joined by '-'. The name becomes a file path on
/// the host, so anything that could climb out of the prompt folder ('/', '..') is refused.
/// </summary>
internal static class IvrPromptName
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || name[0] == '-' || name[^1] == '-')
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') || (c == '-' && name[i - 1] != '-');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
