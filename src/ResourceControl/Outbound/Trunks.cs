namespace CallCenter.ResourceControl.Outbound;

/// <summary>The configured trunks, in order: outbound calls use the first (failover to the next is not built yet).</summary>
internal sealed class Trunks(IReadOnlyList<Trunk> all)
{
    public IReadOnlyList<Trunk> All { get; } = all;

    /// <summary>The trunk an outbound call goes through, or null when none is configured.</summary>
    public Trunk? First => All.Count > 0 ? All[0] : null;
}
