using CallCenter.Ivr.Nodes;
using CallCenter.Ivr.Prompts;

namespace CallCenter.Ivr.Flows;

/// <summary>
/// Checks a whole flow set: every target exists (goto across flows too), every prompt exists in
/// every session language, every variable read is known and not secret, and no cycle of nodes
/// that pass on at once (goto, branch, setLanguage) could spin without waiting for the caller.
/// </summary>
internal static class IvrFlowValidator
{
    public static readonly IReadOnlySet<string> BuiltInVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "caller", "dialed", "tier", "language",
    };

    public static void Validate(IvrFlowSet set, IvrPromptCatalog prompts)
    {
        var collected = new HashSet<string>(StringComparer.Ordinal);
        var secret = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in set.Flows.SelectMany(f => f.Nodes.Values).OfType<CollectNode>())
        {
            collected.Add(node.Variable);
            if (node.Masked)
            {
                secret.Add(node.Variable);
            }
        }

        // What back-office answers set: the outputs of every operation used, and their items' fields.
        foreach (var node in set.Flows.SelectMany(f => f.Nodes.Values).OfType<BackOfficeNode>())
        {
            collected.UnionWith(node.Operation.Outputs);
            collected.UnionWith(node.Operation.ItemFields);
        }

        foreach (var flow in set.Flows)
        {
            foreach (var node in flow.Nodes.Values)
            {
                var where = $"{flow.SourceFile}: node '{node.Id}'";
                if (node is GotoNode jump)
                {
                    if (!set.TryGetFlow(jump.Target.FlowId, out var other))
                    {
                        throw new IvrFlowException($"{where}: goto targets unknown flow '{IvrJsonObject.Shorten(jump.Target.FlowId)}'");
                    }

                    jump.ResolveStart(other.Start);
                    if (!other.Nodes.ContainsKey(jump.Target.NodeId))
                    {
                        throw new IvrFlowException($"{where}: goto targets unknown node '{IvrJsonObject.Shorten(jump.Target.NodeId)}' of flow '{other.Id}'");
                    }
                }
                else
                {
                    CheckTargets(node, flow, where);
                }

                foreach (var name in node.PromptNames)
                {
                    foreach (var language in IvrLanguages.All)
                    {
                        if (!prompts.Exists(language, name))
                        {
                            throw new IvrFlowException($"{where}: prompt '{name}' is missing for language '{language}' (no {language}/{name}.wav in {prompts.Root})");
                        }
                    }
                }

                foreach (var variable in node.InputVariables)
                {
                    // Secrets may go to the back office (a PIN to check), but something must fill them.
                    if (!BuiltInVariables.Contains(variable) && !collected.Contains(variable) && !flow.DeclaredVariables.Contains(variable, StringComparer.Ordinal))
                    {
                        throw new IvrFlowException($"{where}: needs variable '{variable}', which no collect fills");
                    }
                }

                foreach (var variable in node.ReadsVariables)
                {
                    if (secret.Contains(variable))
                    {
                        throw new IvrFlowException($"{where}: reads variable '{variable}', which a masked collect fills: secrets are never spoken or branched on");
                    }

                    if (!BuiltInVariables.Contains(variable) && !collected.Contains(variable) && !flow.DeclaredVariables.Contains(variable, StringComparer.Ordinal))
                    {
                        throw new IvrFlowException($"{where}: reads unknown variable '{variable}' (not built in, not collected, not listed under 'variables')");
                    }
                }
            }
        }

        foreach (var flow in set.Flows)
        {
            CheckPassThroughCycles(set, flow);
        }
    }

    private static void CheckTargets(IvrNode node, IvrFlow flow, string where)
    {
        if (node is MenuNode menu)
        {
            foreach (var (key, target) in menu.Keys)
            {
                if (!flow.Nodes.ContainsKey(target.NodeId))
                {
                    throw new IvrFlowException($"{where}: key '{key}' targets unknown node '{IvrJsonObject.Shorten(target.NodeId)}'");
                }
            }
        }

        foreach (var target in node.Targets)
        {
            if (!flow.Nodes.ContainsKey(target.NodeId))
            {
                throw new IvrFlowException($"{where}: targets unknown node '{IvrJsonObject.Shorten(target.NodeId)}'");
            }
        }
    }

    // Nodes that do not wait pass control on within one step; a cycle made only of them would
    // spin until the visit limit. Depth-first search over those nodes only, each explored once.
    private static void CheckPassThroughCycles(IvrFlowSet set, IvrFlow flow)
    {
        var done = new HashSet<IvrNode>();
        foreach (var start in flow.Nodes.Values.Where(n => !n.Waits))
        {
            var path = new List<IvrNode>();
            Visit(start);

            void Visit(IvrNode node)
            {
                if (done.Contains(node))
                {
                    return;
                }

                if (path.Contains(node))
                {
                    var loop = path.SkipWhile(n => n != node).Append(node).Select(n => n.QualifiedId);
                    throw new IvrFlowException($"{flow.SourceFile}: node '{start.Id}': loops without waiting for the caller ({string.Join(" -> ", loop)})");
                }

                path.Add(node);
                foreach (var next in node.Targets.Select(set.Node).Where(n => !n.Waits))
                {
                    Visit(next);
                }

                path.RemoveAt(path.Count - 1);
                done.Add(node);
            }
        }
    }
}
