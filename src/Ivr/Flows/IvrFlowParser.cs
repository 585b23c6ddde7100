using System.Text.Json;
using CallCenter.Ivr.Nodes;
using CallCenter.Ivr.Prompts;
using CallCenter.Ivr.Say;
using CallCenter.Ivr.SelfService;

namespace CallCenter.Ivr.Flows;

/// <summary>
/// Parses one flow file into nodes. Checks everything that one node can tell on its own
/// (types, ranges, keys, names); references between nodes, prompts and variables are checked
/// by <see cref="IvrFlowValidator"/> once every file is read. The schema is in config/flows/README.md.
/// </summary>
internal static class IvrFlowParser
{
    public const int MaxFileBytes = 1024 * 1024;

    public const int MaxNodes = 1000;

    private static readonly JsonDocumentOptions _options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        MaxDepth = 16,
    };

    public static IvrFlow Parse(string file, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, _options);
        }
        catch (JsonException e)
        {
            throw new IvrFlowException($"{file}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        using (document)
        {
            var root = new IvrJsonObject(document.RootElement, file);
            var id = root.RequiredString("id");
            if (!IsIdentifier(id))
            {
                throw root.Error($"flow id '{IvrJsonObject.Shorten(id)}' is not valid (letters, digits, '-' and '_')");
            }

            var expected = Path.GetFileNameWithoutExtension(file);
            if (!string.Equals(id, expected, StringComparison.Ordinal))
            {
                throw root.Error($"flow id '{id}' does not match the file name (expected '{expected}')");
            }

            var start = root.RequiredString("start");
            var language = root.OptionalString("language") ?? IvrLanguages.Mandarin;
            if (!IvrLanguages.IsSupported(language))
            {
                throw root.Error($"'language' must be one of {string.Join(", ", IvrLanguages.All)}, found '{IvrJsonObject.Shorten(language)}'");
            }

            var fallbackQueue = root.OptionalString("fallbackQueue") ?? "general";
            if (!IsIdentifier(fallbackQueue))
            {
                throw root.Error($"'fallbackQueue' '{IvrJsonObject.Shorten(fallbackQueue)}' is not a valid queue name");
            }

            var variables = root.Strings("variables");
            foreach (var variable in variables)
            {
                CheckVariableName(root, variable, "variables");
            }

            root.OptionalString("description");
            var nodeElements = root.Map("nodes", required: true, "node");
            if (nodeElements.Count == 0)
            {
                throw root.Error("'nodes' is empty");
            }

            if (nodeElements.Count > MaxNodes)
            {
                throw root.Error($"more than {MaxNodes} nodes");
            }

            root.RejectUnknown();
            var nodes = new Dictionary<string, IvrNode>(StringComparer.Ordinal);
            foreach (var (nodeId, element) in nodeElements)
            {
                if (!IsIdentifier(nodeId))
                {
                    throw root.Error($"node id '{IvrJsonObject.Shorten(nodeId)}' is not valid (letters, digits, '-' and '_')");
                }

                nodes.Add(nodeId, ParseNode(new IvrJsonObject(element, $"{file}: node '{nodeId}'"), id, nodeId));
            }

            if (!nodes.ContainsKey(start))
            {
                throw root.Error($"'start' names unknown node '{IvrJsonObject.Shorten(start)}'");
            }

            return new IvrFlow(id, file, start, language, fallbackQueue, variables, nodes);
        }
    }

    public static bool IsIdentifier(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= 64
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static IvrNode ParseNode(IvrJsonObject node, string flowId, string nodeId)
    {
        var type = node.RequiredString("type");
        node.OptionalString("description");
        IvrNode result = type switch
        {
            "play" => new PlayNode(flowId, nodeId, node.Prompts("prompts", required: true), node.Bool("bargeIn", true), Target(node, flowId, "next")),
            "menu" => ParseMenu(node, flowId, nodeId),
            "collect" => ParseCollect(node, flowId, nodeId),
            "say" => ParseSay(node, flowId, nodeId),
            "setLanguage" => ParseSetLanguage(node, flowId, nodeId),
            "goto" => ParseGoto(node, flowId, nodeId),
            "branch" => ParseBranch(node, flowId, nodeId),
            "queue" => ParseQueue(node, flowId, nodeId),
            "hangup" => new HangupNode(flowId, nodeId, node.Prompts("prompts"), ParseReason(node)),
            "backOffice" => ParseBackOffice(node, flowId, nodeId),
            "nextItem" => new NextItemNode(flowId, nodeId, Target(node, flowId, "next"), Target(node, flowId, "done")),
            _ => throw node.Error($"unknown node type '{IvrJsonObject.Shorten(type)}' (expected play, menu, collect, say, setLanguage, goto, branch, queue, hangup, backOffice or nextItem)"),
        };
        node.RejectUnknown();
        return result;
    }

    private static IvrInputSettings ParseInput(IvrJsonObject node, string flowId) => new(
        node.Prompts("prompts"),
        node.Prompts("invalidPrompts"),
        node.Prompts("noInputPrompts"),
        node.Int("retries", 2, 0, IvrLimits.MaxRetries),
        OptionalTarget(node, flowId, "onFailure"),
        node.Bool("bargeIn", true));

    private static MenuNode ParseMenu(IvrJsonObject node, string flowId, string nodeId)
    {
        var settings = ParseInput(node, flowId);
        var keys = new Dictionary<char, IvrTarget>();
        foreach (var (key, value) in node.Map("keys", required: true, "key"))
        {
            if (key.Length != 1 || !IsKey(key[0]))
            {
                throw node.Error($"key '{IvrJsonObject.Shorten(key)}' is not a DTMF key (0-9, * or #)");
            }

            keys[key[0]] = value.ValueKind == JsonValueKind.String
                ? new IvrTarget(flowId, value.GetString()!)
                : throw node.Error($"key '{key}' must name a node, found {IvrJsonObject.Describe(value)}");
        }

        if (keys.Count == 0)
        {
            throw node.Error("'keys' is empty");
        }

        var timeout = node.Seconds("timeout", 5, 1, IvrLimits.MaxTimeoutSeconds);
        return new MenuNode(flowId, nodeId, settings, keys, timeout);
    }

    private static CollectNode ParseCollect(IvrJsonObject node, string flowId, string nodeId)
    {
        var settings = ParseInput(node, flowId);
        var variable = node.RequiredString("variable");
        CheckVariableName(node, variable, "variable");
        if (IvrFlowValidator.BuiltInVariables.Contains(variable))
        {
            throw node.Error($"'variable' '{variable}' is built in and cannot be collected into");
        }

        var maxDigits = node.Int("maxDigits", 16, 1, IvrLimits.MaxCollectDigits);
        var minDigits = node.Int("minDigits", 1, 1, IvrLimits.MaxCollectDigits);
        if (minDigits > maxDigits)
        {
            throw node.Error($"'minDigits' ({minDigits}) is greater than 'maxDigits' ({maxDigits})");
        }

        char? terminator = node.OptionalString("terminator") switch
        {
            null => '#',
            "" => null,
            "#" => '#',
            "*" => '*',
            var other => throw node.Error($"'terminator' must be \"#\", \"*\" or \"\" (none), found \"{IvrJsonObject.Shorten(other)}\""),
        };
        var decimalPoint = node.Bool("decimalPoint", false);
        if (decimalPoint && terminator == '*')
        {
            throw node.Error("'decimalPoint' needs '*', so the terminator cannot be \"*\"");
        }

        var masked = node.Bool("masked", false);
        var strict = node.Bool("strict", false);
        if (strict && terminator is null)
        {
            throw node.Error("'strict' waits for the terminator, so it needs one");
        }

        if (decimalPoint && masked)
        {
            throw node.Error("a masked entry (a PIN, an account) has no decimal point");
        }

        return new CollectNode(flowId, nodeId, settings, variable, minDigits, maxDigits, terminator,
            node.Seconds("firstDigitTimeout", 8, 1, IvrLimits.MaxTimeoutSeconds),
            node.Seconds("interDigitTimeout", 4, 1, IvrLimits.MaxTimeoutSeconds),
            masked,
            Target(node, flowId, "next"),
            decimalPoint,
            strict);
    }

    private static SayNode ParseSay(IvrJsonObject node, string flowId, string nodeId)
    {
        var kind = node.RequiredString("as") switch
        {
            "digits" => IvrSayKind.Digits,
            "number" => IvrSayKind.Number,
            "currency" => IvrSayKind.Currency,
            "date" => IvrSayKind.Date,
            "prompt" => IvrSayKind.Prompt,
            var other => throw node.Error($"'as' must be digits, number, currency, date or prompt, found '{IvrJsonObject.Shorten(other)}'"),
        };
        var variable = node.OptionalString("variable");
        var literal = node.OptionalString("value");
        if ((variable is null) == (literal is null))
        {
            throw node.Error("give exactly one of 'variable' and 'value'");
        }

        if (variable is not null)
        {
            CheckVariableName(node, variable, "variable");
        }

        if (literal is not null && !IvrSay.CanSay(kind, literal))
        {
            throw node.Error($"'value' \"{IvrJsonObject.Shorten(literal)}\" cannot be said as {node.OptionalString("as")}");
        }

        return new SayNode(flowId, nodeId, kind, variable, literal, node.Prompts("before"), node.Prompts("after"),
            node.Bool("bargeIn", true), Target(node, flowId, "next"));
    }

    private static SetLanguageNode ParseSetLanguage(IvrJsonObject node, string flowId, string nodeId)
    {
        var language = node.RequiredString("language");
        return IvrLanguages.IsSupported(language)
            ? new SetLanguageNode(flowId, nodeId, language, Target(node, flowId, "next"))
            : throw node.Error($"'language' must be one of {string.Join(", ", IvrLanguages.All)}, found '{IvrJsonObject.Shorten(language)}'");
    }

    private static GotoNode ParseGoto(IvrJsonObject node, string flowId, string nodeId)
    {
        var flow = node.RequiredString("flow");
        // An empty node means the other flow's start; the validator fills it in.
        var target = node.OptionalString("node") ?? string.Empty;
        return new GotoNode(flowId, nodeId, new IvrTarget(flow, target));
    }

    private static BranchNode ParseBranch(IvrJsonObject node, string flowId, string nodeId)
    {
        var variable = node.RequiredString("variable");
        CheckVariableName(node, variable, "variable");
        var cases = new Dictionary<string, IvrTarget>(StringComparer.OrdinalIgnoreCase);
        foreach (var (value, target) in node.Map("cases", required: true, "case"))
        {
            if (target.ValueKind != JsonValueKind.String)
            {
                throw node.Error($"case '{IvrJsonObject.Shorten(value)}' must name a node, found {IvrJsonObject.Describe(target)}");
            }

            if (!cases.TryAdd(value, new IvrTarget(flowId, target.GetString()!)))
            {
                throw node.Error($"case '{IvrJsonObject.Shorten(value)}' is given twice (cases ignore case)");
            }
        }

        return new BranchNode(flowId, nodeId, variable, cases, Target(node, flowId, "default"));
    }

    private static QueueNode ParseQueue(IvrJsonObject node, string flowId, string nodeId)
    {
        var queue = node.RequiredString("queue");
        if (!IsIdentifier(queue))
        {
            throw node.Error($"'queue' '{IvrJsonObject.Shorten(queue)}' is not a valid queue name");
        }

        var skills = node.Strings("skills");
        foreach (var skill in skills)
        {
            if (!IsIdentifier(skill))
            {
                throw node.Error($"skill '{IvrJsonObject.Shorten(skill)}' is not valid (letters, digits, '-' and '_')");
            }
        }

        return new QueueNode(flowId, nodeId, queue, skills, node.Bool("languageSkill", true),
            node.Int("priority", 0, -100, 100), node.Prompts("prompts"));
    }

    private static BackOfficeNode ParseBackOffice(IvrJsonObject node, string flowId, string nodeId)
    {
        var name = node.RequiredString("operation");
        if (!IvrOperations.All.TryGetValue(name, out var operation))
        {
            throw node.Error($"unknown operation '{IvrJsonObject.Shorten(name)}' (expected {string.Join(", ", IvrOperations.All.Keys)})");
        }

        var results = new Dictionary<string, IvrTarget>(StringComparer.Ordinal);
        foreach (var (result, target) in node.Map("results", required: true, "result"))
        {
            if (!operation.HasResult(result))
            {
                throw node.Error($"'{name}' has no result '{IvrJsonObject.Shorten(result)}' (it has {string.Join(", ", operation.Results.Append(IvrOperations.Error))})");
            }

            results[result] = target.ValueKind == JsonValueKind.String
                ? new IvrTarget(flowId, target.GetString()!)
                : throw node.Error($"result '{result}' must name a node, found {IvrJsonObject.Describe(target)}");
        }

        return new BackOfficeNode(flowId, nodeId, operation, results, OptionalTarget(node, flowId, "default"),
            node.Seconds("timeout", 15, 1, IvrLimits.MaxTimeoutSeconds));
    }

    private static string ParseReason(IvrJsonObject node)
    {
        var reason = node.OptionalString("reason") ?? "ivr-hangup";
        return IsIdentifier(reason) ? reason : throw node.Error($"'reason' '{IvrJsonObject.Shorten(reason)}' is not valid (letters, digits, '-' and '_')");
    }

    private static IvrTarget Target(IvrJsonObject node, string flowId, string name) =>
        new(flowId, node.RequiredString(name));

    private static IvrTarget? OptionalTarget(IvrJsonObject node, string flowId, string name) =>
        node.OptionalString(name) is { } nodeId ? new IvrTarget(flowId, nodeId) : null;

    private static void CheckVariableName(IvrJsonObject node, string name, string property)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw node.Error($"'{property}' '{IvrJsonObject.Shorten(name)}' is not a valid variable name");
        }
    }

    private static bool IsKey(char c) => char.IsAsciiDigit(c) || c is '*' or '#';
}
