namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// The futures-company client grades (domain.md, 客户分级), lowest to highest, so that a higher value is a better tier.
/// The names are the ones the client directory stores.
/// </summary>
internal enum ClientTier
{
    /// <summary>休眠: over a year old, no position, no trade for over a year, year-end equity at most 1,000.</summary>
    Dormant,

    /// <summary>
    /// No rule holds: neither effective nor dormant (for instance a new account that has not traded yet).
    /// The grading table leaves this gap; such clients are served as ordinary callers.
    /// </summary>
    Ordinary,

    /// <summary>有效: traded within the last year, or equity above 1,000.</summary>
    Effective,

    /// <summary>优质: equity from 500,000.</summary>
    Quality,

    /// <summary>黄金 (VIP): equity from 1,000,000 or fees from 10,000.</summary>
    Gold,

    /// <summary>白金 (VIP): equity from 5,000,000 or fees from 50,000.</summary>
    Platinum,

    /// <summary>钻石 (VIP): equity from 10,000,000 or fees from 100,000.</summary>
    Diamond,
}
