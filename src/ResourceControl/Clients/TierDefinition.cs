namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// One tier of a grading scheme under <c>Tiers:Schemes:&lt;scheme&gt;:&lt;n&gt;</c>, highest tier first: the name the client
/// directory stores, its Mandarin and English names, the desk's colour, the routing weight, and the grading thresholds.
/// </summary>
internal sealed class TierDefinition
{
    /// <summary>The name the client directory stores and imports accept (letters and digits, e.g. <c>Diamond</c>, <c>Silver</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>The Mandarin name (钻石, 银卡).</summary>
    public string Zh { get; set; } = "";

    /// <summary>The English name.</summary>
    public string En { get; set; } = "";

    /// <summary>The desk's colour for the tier, <c>#rrggbb</c>.</summary>
    public string Colour { get; set; } = "#888888";

    /// <summary>
    /// The tier's routing weight: seconds of head start in a <c>headStart</c> queue, the order of tiers in a
    /// <c>strict</c> one (<c>Routing:TierBonusSeconds:&lt;name&gt;</c> overrides it).
    /// </summary>
    public int RoutingWeight { get; set; }

    /// <summary>The least monthly average equity (or assets) that earns the tier; null: not earned by equity.</summary>
    public decimal? MinEquity { get; set; }

    /// <summary>The least monthly average fees (or commission) that earn the tier; null: not earned by fees.</summary>
    public decimal? MinFees { get; set; }
}
