using System.Collections;
using System.Reflection;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// List settings replaced whole. ASP.NET Core binds a list by index and merges the indexes of all
/// sources, so <c>--Sip:DigestAlgorithms=MD5</c> (a value on the list's own key) was ignored and
/// <c>--Sip:DigestAlgorithms:0=MD5</c> only overwrote the file's first item. Here the source of
/// highest priority that mentions a list defines all of it: a value on the key itself is split at
/// commas (<c>--Sip:DigestAlgorithms=MD5,SHA-256</c>, <c>Sip__DigestAlgorithms=MD5</c>; empty
/// means an empty list), indexed keys (<c>:0</c>, <c>:1</c> or a JSON array) are taken as they are.
/// </summary>
internal static class ListSettings
{
    /// <summary>
    /// Replaces every <c>List&lt;string&gt;</c> property of <paramref name="options"/> (also inside
    /// maps such as <c>Routing:Queues:&lt;id&gt;</c>) that some source sets, reporting an empty item by its key.
    /// </summary>
    public static void Apply(IConfigurationRoot configuration, string section, object options, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = $"{section}:{property.Name}";
            if (property.PropertyType == typeof(List<string>) && property.CanWrite)
            {
                var (items, error) = Resolve(configuration.Providers, key);
                if (error is not null)
                {
                    errors.Add(error);
                }
                else if (items is not null)
                {
                    property.SetValue(options, items);
                }
            }
            else if (property.GetValue(options) is IDictionary map && IsOptionsClass(property.PropertyType))
            {
                foreach (DictionaryEntry entry in map)
                {
                    if (entry.Value is not null)
                    {
                        Apply(configuration, $"{key}:{entry.Key}", entry.Value, errors);
                    }
                }
            }
            else if (IsNestedSection(property.PropertyType) && property.GetValue(options) is { } nested)
            {
                // A nested section (Sms:Kannel): its lists are replaced whole too.
                Apply(configuration, key, nested, errors);
            }
        }
    }

    /// <summary>
    /// The list at <paramref name="key"/> as the last provider that mentions it gives it (providers in
    /// ascending priority, as <see cref="IConfigurationRoot.Providers"/> lists them); null when none does.
    /// </summary>
    public static (List<string>? Items, string? Error) Resolve(IEnumerable<IConfigurationProvider> providers, string key)
    {
        ArgumentNullException.ThrowIfNull(providers);
        foreach (var provider in providers.Reverse())
        {
            var hasKey = provider.TryGet(key, out var value);
            if (value is not null)
            {
                return Split(key, value);
            }

            var children = provider.GetChildKeys([], key).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (children.Count > 0)
            {
                var items = new List<string>();
                foreach (var child in children.OrderBy(c => int.TryParse(c, out var i) ? i : int.MaxValue))
                {
                    if (provider.TryGet($"{key}:{child}", out var item) && item is not null)
                    {
                        items.Add(item);
                    }
                }

                return (items, null);
            }

            if (hasKey)
            {
                // An empty JSON array: the key is there with no value and no items.
                return ([], null);
            }
        }

        return (null, null);
    }

    private static (List<string>? Items, string? Error) Split(string key, string value)
    {
        if (value.Trim().Length == 0)
        {
            return ([], null);
        }

        var items = value.Split(',', StringSplitOptions.TrimEntries).ToList();
        return items.Any(i => i.Length == 0)
            ? (null, $"{key}: \"{value}\" has an empty item (a comma-separated list such as \"a,b\" is expected).")
            : (items, null);
    }

    private static bool IsNestedSection(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type) && type.Namespace?.StartsWith("CallCenter", StringComparison.Ordinal) == true;

    private static bool IsOptionsClass(Type mapType) =>
        mapType.IsGenericType && mapType.GetGenericArguments() is [_, var valueType] && valueType.IsClass && valueType != typeof(string)
        && !typeof(IEnumerable).IsAssignableFrom(valueType); // a map of lists (Tiers:Schemes) is bound as it stands
}
