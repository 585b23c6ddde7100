namespace CallCenter.ResourceControl.Outbound;

/// <summary>The outbound dial plan's settings (section <c>Dialing</c>): what <see cref="DialPlan"/> allows.</summary>
internal sealed class DialingOptions
{
    public const string Section = "Dialing";

    /// <summary>The area code a local fixed number gets, with its 0 ("021" for Shanghai); empty: local numbers are refused.</summary>
    public string AreaCode { get; set; } = "021";

    /// <summary>Calls abroad (00 or +, not 86) are refused unless this is set.</summary>
    public bool AllowInternational { get; set; }

    /// <summary>
    /// Prefixes never dialled, in the dialled form (national with its 0, or 00 for abroad); none by default
    /// (the special services, 12… and a 1 after the area code, are refused by the dial plan itself). A list
    /// replaced whole (<c>--Dialing:Barred=0755,00852</c>).
    /// </summary>
    public List<string> Barred { get; set; } = [];
}
