using System.Globalization;
using System.Text.Json;
using CallCenter.Ivr.Prompts;

namespace CallCenter.Ivr.Flows;

/// <summary>
/// Reads one JSON object of a flow file, with errors that say where ("file: node 'x': ...").
/// Every property read is remembered so that <see cref="RejectUnknown"/> catches typos
/// ("nxt") that would otherwise silently fall back to a default.
/// </summary>
internal sealed class IvrJsonObject
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public IvrJsonObject(JsonElement element, string where)
    {
        Where = where;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error($"expected a JSON object, found {Describe(element)}");
        }

        _element = element;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw Error($"property '{property.Name}' is given twice");
            }
        }
    }

    /// <summary>"file: node 'x'", the prefix of every message.</summary>
    public string Where { get; }

    public IvrFlowException Error(string problem) => new($"{Where}: {problem}");

    public bool Has(string name) => _element.TryGetProperty(name, out _);

    public JsonElement? Element(string name)
    {
        _read.Add(name);
        return _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw Error($"'{name}' is required");

    public string? OptionalString(string name)
    {
        if (Element(name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Error($"'{name}' must be a string, found {Describe(value)}");
    }

    public bool Bool(string name, bool defaultValue)
    {
        if (Element(name) is not { } value)
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"'{name}' must be true or false, found {Describe(value)}"),
        };
    }

    public int Int(string name, int defaultValue, int min, int max)
    {
        if (Element(name) is not { } value)
        {
            return defaultValue;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            throw Error($"'{name}' must be a whole number from {min} to {max}, found {Describe(value)}");
        }

        return number;
    }

    public TimeSpan Seconds(string name, double defaultSeconds, double min, double max)
    {
        if (Element(name) is not { } value)
        {
            return TimeSpan.FromSeconds(defaultSeconds);
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || seconds < min || seconds > max)
        {
            throw Error($"'{name}' must be a number of seconds from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, found {Describe(value)}");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A string or an array of strings.</summary>
    public IReadOnlyList<string> Strings(string name)
    {
        if (Element(name) is not { } value)
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error($"'{name}' must be a string or an array of strings, found {Describe(value)}");
        }

        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw Error($"'{name}' must hold only strings, found {Describe(item)}"));
        }

        return list;
    }

    /// <summary>Prompt names (a string or an array), each checked for shape; existence is checked later against the catalog.</summary>
    public IReadOnlyList<string> Prompts(string name, bool required = false)
    {
        var prompts = Strings(name);
        if (required && prompts.Count == 0)
        {
            throw Error($"'{name}' needs at least one prompt");
        }

        foreach (var prompt in prompts)
        {
            if (!IvrPromptName.IsValid(prompt))
            {
                throw Error($"prompt name '{Shorten(prompt)}' in '{name}' is not valid (lower-case letters, digits and '-')");
            }
        }

        return prompts;
    }

    /// <summary>The properties of an object-valued property, in file order; a name given twice is refused as "{itemKind} 'x' is defined twice".</summary>
    public IReadOnlyList<(string Name, JsonElement Value)> Map(string name, bool required, string itemKind)
    {
        if (Element(name) is not { } value)
        {
            return required ? throw Error($"'{name}' is required") : [];
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error($"'{name}' must be an object, found {Describe(value)}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var map = new List<(string Name, JsonElement Value)>();
        foreach (var property in value.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw Error($"{itemKind} '{Shorten(property.Name)}' is defined twice");
            }

            map.Add((property.Name, property.Value));
        }

        return map;
    }

    public void RejectUnknown()
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_read.Contains(property.Name))
            {
                throw Error($"unknown property '{Shorten(property.Name)}'");
            }
        }
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
