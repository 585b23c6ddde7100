using CallCenter.Ivr.Flows;
using CallCenter.Ivr.Prompts;
using CallCenter.TestSupport;

namespace CallCenter.Ivr.Tests;

/// <summary>The committed prompt catalog and flows, and flow sets built from JSON text.</summary>
internal static class IvrTestData
{
    private static readonly Lazy<IvrPromptCatalog> _prompts = new(() =>
        IvrPromptCatalog.FromDirectory(Path.Combine(Fixtures.RepositoryRoot, "config", "prompts")));

    public static IvrPromptCatalog Prompts => _prompts.Value;

    public static string FlowDirectory => Path.Combine(Fixtures.RepositoryRoot, "config", "flows");

    public static IvrFlowSet ShippedFlows() => IvrFlowLoader.LoadDirectory(FlowDirectory, Prompts);

    /// <summary>A flow set from (flow id, JSON) pairs, each as if in <c>flows/{id}.json</c>.</summary>
    public static IvrFlowSet Flows(params (string Id, string Json)[] flows) =>
        IvrFlowLoader.Load(flows.Select(f => ($"flows/{f.Id}.json", f.Json)), Prompts);
}
