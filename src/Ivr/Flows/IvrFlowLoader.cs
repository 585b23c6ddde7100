using CallCenter.Ivr.Prompts;

namespace CallCenter.Ivr.Flows;

/// <summary>Loads and validates every flow file (<c>*.json</c>) of a folder, as one set.</summary>
public static class IvrFlowLoader
{
    /// <exception cref="IvrFlowException">A file is invalid; the message names the file, the node and the problem.</exception>
    public static IvrFlowSet LoadDirectory(string directory, IvrPromptCatalog prompts)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(prompts);
        if (!Directory.Exists(directory))
        {
            throw new IvrFlowException($"{directory}: flow folder does not exist");
        }

        var files = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new IvrFlowException($"{directory}: no flow files (*.json)");
        }

        var sources = new List<(string File, string Json)>();
        foreach (var file in files)
        {
            if (new FileInfo(file).Length > IvrFlowParser.MaxFileBytes)
            {
                throw new IvrFlowException($"{file}: larger than {IvrFlowParser.MaxFileBytes} bytes");
            }

            sources.Add((file, File.ReadAllText(file)));
        }

        return Load(sources, prompts);
    }

    /// <summary>Loads flows from text, e.g. for tests; each file name must be <c>{flow id}.json</c>.</summary>
    public static IvrFlowSet Load(IEnumerable<(string File, string Json)> sources, IvrPromptCatalog prompts)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(prompts);
        var flows = new Dictionary<string, IvrFlow>(StringComparer.Ordinal);
        foreach (var (file, json) in sources)
        {
            var flow = IvrFlowParser.Parse(file, json);
            if (flows.TryGetValue(flow.Id, out var first))
            {
                throw new IvrFlowException($"{file}: flow id '{flow.Id}' is already used by {first.SourceFile}");
            }

            flows.Add(flow.Id, flow);
        }

        var set = new IvrFlowSet(flows);
        IvrFlowValidator.Validate(set, prompts);
        return set;
    }
}
