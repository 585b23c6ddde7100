namespace CallCenter.Telephony.Sip.Registrar;

public enum SipBindingChange
{
    /// <summary>A contact not bound before (or only expired) is now bound.</summary>
    Added,

    /// <summary>An existing binding was refreshed or changed.</summary>
    Refreshed,

    /// <summary>Removed by the phone: expires=0 or Contact: *.</summary>
    Removed,

    /// <summary>Removed because its time ran out (<see cref="SipRegistrar.PurgeExpiredAsync"/>).</summary>
    Expired,
}

/// <summary>One binding appeared, changed or disappeared; <see cref="IsRegistered"/> says whether the extension still has any.</summary>
public sealed class SipBindingChangedEventArgs(SipBinding binding, SipBindingChange change, int activeBindingCount) : EventArgs
{
    public SipBinding Binding { get; } = binding;

    public SipBindingChange Change { get; } = change;

    /// <summary>The extension (AOR key) concerned.</summary>
    public string Extension => Binding.Aor;

    /// <summary>How many active bindings the extension has after this change.</summary>
    public int ActiveBindingCount { get; } = activeBindingCount;

    /// <summary>Whether the extension is registered after this change: what the platform shows for the agent.</summary>
    public bool IsRegistered => ActiveBindingCount > 0;
}
