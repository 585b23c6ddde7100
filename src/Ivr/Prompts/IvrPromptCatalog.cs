namespace CallCenter.Ivr.Prompts;

/// <summary>
/// Which prompts exist per language: the <c>*.wav</c> files of <c>{root}/{language}/</c>. Flows are
/// validated against it at load, so a missing recording is a start-up error, not dead air.
/// </summary>
public sealed class IvrPromptCatalog
{
    private readonly Dictionary<string, HashSet<string>> _names;

    private IvrPromptCatalog(string root, Dictionary<string, HashSet<string>> names)
    {
        Root = root;
        _names = names;
    }

    /// <summary>The prompt folder the catalog was read from.</summary>
    public string Root { get; }

    /// <summary>The language folders found, e.g. "en", "zh".</summary>
    public IReadOnlyCollection<string> Languages => _names.Keys;

    /// <summary>Reads the language folders under <paramref name="promptRoot"/>; files whose name is not a valid prompt name are ignored.</summary>
    public static IvrPromptCatalog FromDirectory(string promptRoot)
    {
        ArgumentNullException.ThrowIfNull(promptRoot);
        if (!Directory.Exists(promptRoot))
        {
            throw new DirectoryNotFoundException($"Prompt folder '{promptRoot}' does not exist.");
        }

        var names = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var languageDir in Directory.EnumerateDirectories(promptRoot))
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(languageDir, "*.wav"))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (IvrPromptName.IsValid(name))
                {
                    set.Add(name);
                }
            }

            names[Path.GetFileName(languageDir)] = set;
        }

        return new IvrPromptCatalog(promptRoot, names);
    }

    public bool Exists(string language, string name) =>
        _names.TryGetValue(language, out var set) && set.Contains(name);

    public bool Exists(IvrPrompt prompt) => Exists(prompt.Language, prompt.Name);

    /// <summary>The prompt names of one language (empty when the language folder is missing).</summary>
    public IReadOnlyCollection<string> NamesOf(string language) =>
        _names.TryGetValue(language, out var set) ? set : [];

    /// <summary>The file the host plays for <paramref name="prompt"/>.</summary>
    public string PathOf(IvrPrompt prompt)
    {
        if (!IvrPromptName.IsValid(prompt.Name) || !_names.ContainsKey(prompt.Language))
        {
            throw new ArgumentException($"'{prompt.Language}/{prompt.Name}' is not a prompt of this catalog.", nameof(prompt));
        }

        return Path.Combine(Root, prompt.Language, prompt.Name + ".wav");
    }
}
