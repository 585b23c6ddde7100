using CallCenter.Ivr.Nodes;

namespace CallCenter.Ivr.Flows;

/// <summary>One loaded and validated flow file.</summary>
public sealed class IvrFlow
{
    internal IvrFlow(string id, string sourceFile, string start, string language, string fallbackQueue,
        IReadOnlyList<string> declaredVariables, IReadOnlyDictionary<string, IvrNode> nodes)
    {
        Id = id;
        SourceFile = sourceFile;
        Start = start;
        Language = language;
        FallbackQueue = fallbackQueue;
        DeclaredVariables = declaredVariables;
        Nodes = nodes;
    }

    /// <summary>The flow id; for a hotline, its dialed number (the file is <c>{Id}.json</c>).</summary>
    public string Id { get; }

    public string SourceFile { get; }

    /// <summary>The node a session starts at.</summary>
    public string Start { get; }

    /// <summary>The session language when the host does not know the caller's.</summary>
    public string Language { get; }

    /// <summary>Where a caller goes when a menu gives up without an onFailure target, or a limit is hit.</summary>
    public string FallbackQueue { get; }

    /// <summary>Host-provided variables the flow reads (see <see cref="IvrCallContext.Variables"/>).</summary>
    public IReadOnlyList<string> DeclaredVariables { get; }

    public IReadOnlyCollection<string> NodeIds => (IReadOnlyCollection<string>)Nodes.Keys;

    internal IReadOnlyDictionary<string, IvrNode> Nodes { get; }

    public override string ToString() => $"IvrFlow {{ Id = {Id}, Nodes = {Nodes.Count} }}";
}
