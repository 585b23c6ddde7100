using System.Collections;
using System.Reflection;
using CallCenter.AgentDesk;
using CallCenter.Data;
using CallCenter.Telephony;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// Start-up check of the configuration: a key the platform does not know (a typo such as
/// <c>Sip:Prot</c>) or a value out of range stops start-up with a message naming the key.
/// </summary>
internal static class ConfigurationChecker
{
    /// <summary>Each room's section and the options class bound from it.</summary>
    internal static readonly IReadOnlyDictionary<string, Type> Sections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [SipOptions.Section] = typeof(SipOptions),
        [RtpOptions.Section] = typeof(RtpOptions),
        [DatabaseOptions.Section] = typeof(DatabaseOptions),
        [RecordingOptions.Section] = typeof(RecordingOptions),
        [DemoOptions.Section] = typeof(DemoOptions),
        [ApiOptions.Section] = typeof(ApiOptions),
        [DeskOptions.Section] = typeof(DeskOptions),
        [Agents.AgentOptions.Section] = typeof(Agents.AgentOptions),
        [Routing.RoutingOptions.Section] = typeof(Routing.RoutingOptions),
        [Metrics.MetricsOptions.Section] = typeof(Metrics.MetricsOptions),
        [Clients.TierOptions.Section] = typeof(Clients.TierOptions),
        [FaxSms.Outbox.OutboxOptions.Section] = typeof(FaxSms.Outbox.OutboxOptions),
        [FaxSms.Sms.SmsOptions.Section] = typeof(FaxSms.Sms.SmsOptions),
        [FaxSms.Email.MailOptions.Section] = typeof(FaxSms.Email.MailOptions),
        [FaxSms.Broadcasts.BroadcastOptions.Section] = typeof(FaxSms.Broadcasts.BroadcastOptions),
        [FaxSms.Fax.FaxOptions.Section] = typeof(FaxSms.Fax.FaxOptions),
        [FaxSms.Documents.DocumentOptions.Section] = typeof(FaxSms.Documents.DocumentOptions),
        [BackOffice.BackOfficeOptions.Section] = typeof(BackOffice.BackOfficeOptions),
        [Outbound.DialingOptions.Section] = typeof(Outbound.DialingOptions),
        [Outbound.CallbackOptions.Section] = typeof(Outbound.CallbackOptions),
        [Outbound.OutboundOptions.Section] = typeof(Outbound.OutboundOptions),
        [Outbound.CallListOptions.Section] = typeof(Outbound.CallListOptions),
        [ClusterOptions.Section] = typeof(ClusterOptions),
    };

    /// <summary>Sections that are lists of items (<c>Trunks:0:Address</c>), and each item's options class.</summary>
    internal static readonly IReadOnlyDictionary<string, Type> ListSections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [Outbound.TrunkOptions.Section] = typeof(Outbound.TrunkOptions),
    };

    /// <summary>Top-level keys that belong to ASP.NET Core itself.</summary>
    private static readonly HashSet<string> _hostKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Urls", "Logging", "AllowedHosts", "Kestrel", "Environment", "ContentRoot", "ApplicationName",
    };

    /// <summary>
    /// Unknown keys: every top-level key of the config file and the command line must be a room's
    /// section or a host key; inside a room's section (from any source, environment included)
    /// every key must be a property of its options class.
    /// </summary>
    public static IEnumerable<string> UnknownKeys(IConfiguration configFile, IConfiguration commandLine, IConfiguration merged)
    {
        foreach (var source in new[] { configFile, commandLine })
        {
            foreach (var top in source.GetChildren())
            {
                if (!Sections.ContainsKey(top.Key) && !ListSections.ContainsKey(top.Key) && !_hostKeys.Contains(top.Key))
                {
                    yield return $"Unknown configuration key \"{top.Key}\".";
                }
            }
        }

        foreach (var (section, type) in ListSections)
        {
            foreach (var item in merged.GetSection(section).GetChildren())
            {
                if (!int.TryParse(item.Key, out _))
                {
                    yield return $"Unknown configuration key \"{section}:{item.Key}\" ({section} is a list: {section}:0:..., {section}:1:...).";
                    continue;
                }

                foreach (var child in item.GetChildren())
                {
                    if (type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not { CanWrite: true })
                    {
                        yield return $"Unknown configuration key \"{section}:{item.Key}:{child.Key}\".";
                    }
                }
            }
        }

        foreach (var (section, type) in Sections)
        {
            foreach (var child in merged.GetSection(section).GetChildren())
            {
                var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                if (property is null || !property.CanWrite)
                {
                    yield return $"Unknown configuration key \"{section}:{child.Key}\".";
                }
                else if (IsMap(property.PropertyType))
                {
                    // A map (queue id → options, tier → seconds): its keys are the operator's names.
                }
                else if (IsList(property.PropertyType))
                {
                    foreach (var item in child.GetChildren().Where(i => !int.TryParse(i.Key, out _)))
                    {
                        yield return $"Unknown configuration key \"{section}:{child.Key}:{item.Key}\" ({child.Key} is a list).";
                    }
                }
                else if (IsSection(property.PropertyType))
                {
                    // A nested section (Sip:Tls): its keys are its class's properties.
                    foreach (var item in child.GetChildren())
                    {
                        if (property.PropertyType.GetProperty(item.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not { CanWrite: true })
                        {
                            yield return $"Unknown configuration key \"{section}:{child.Key}:{item.Key}\".";
                        }
                    }
                }
                else if (child.GetChildren().Any())
                {
                    yield return $"Configuration key \"{section}:{child.Key}\" takes a single value, not a section.";
                }
            }
        }
    }

    /// <summary>Binds one section, reporting a value that does not convert (Sip:Port=abc) by its key.</summary>
    public static T Bind<T>(IConfiguration configuration, string section, List<string> errors)
        where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
            if (configuration is IConfigurationRoot root)
            {
                ListSettings.Apply(root, section, options, errors);
            }
        }
        catch (InvalidOperationException e)
        {
            errors.Add($"Configuration section \"{section}\": {e.Message}");
        }

        return options;
    }

    private static bool IsSection(Type type) => type.IsClass && type != typeof(string) && !IsList(type) && !IsMap(type);

    private static bool IsMap(Type type) => typeof(IDictionary).IsAssignableFrom(type);

    private static bool IsList(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);
}
