using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary>The settings menu and collect share.</summary>
internal sealed record IvrInputSettings(
    IReadOnlyList<string> Prompts,
    IReadOnlyList<string> InvalidPrompts,
    IReadOnlyList<string> NoInputPrompts,
    int Retries,
    IvrTarget? OnFailure,
    bool BargeIn);
