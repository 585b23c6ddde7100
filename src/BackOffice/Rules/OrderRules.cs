using CallCenter.Contracts.BackOffice;

namespace CallCenter.BackOffice.Rules;

/// <summary>
/// The checks a limit order passes before the built-in counter accepts it, in the order a caller
/// hears about them: the code, the price, the quantity, then the money or the shares. No fee or tax
/// is charged by the built-in counter: a buy needs exactly price × quantity of available cash.
/// </summary>
internal static class OrderRules
{
    public const long LotSize = 100;

    /// <summary>The day's band: a limit price within ±10 % of the previous close (涨跌停).</summary>
    public const decimal Band = 0.10m;

    public static bool IsStockCode(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);

    /// <summary>The lowest and highest price allowed today, rounded inwards to the fen.</summary>
    public static (decimal Low, decimal High) PriceBand(decimal previousClose) =>
        (decimal.Round(previousClose * (1 - Band), 2, MidpointRounding.ToPositiveInfinity),
         decimal.Round(previousClose * (1 + Band), 2, MidpointRounding.ToNegativeInfinity));

    /// <summary>
    /// Null when the order may be placed. <paramref name="quote"/> is the code's quote (null when not
    /// listed), <paramref name="availableCash"/> the cash not frozen, <paramref name="availableShares"/>
    /// the shares of that code held and not frozen.
    /// </summary>
    public static OrderRefusal? Check(OrderRequest request, Quote? quote, decimal availableCash, long availableShares)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsStockCode(request.Code) || quote is null || quote.Code != request.Code)
        {
            return OrderRefusal.UnknownCode;
        }

        if (request.Price <= 0 || !Money.IsWholeFen(request.Price))
        {
            return OrderRefusal.InvalidPrice;
        }

        var (low, high) = PriceBand(quote.PreviousClose);
        if (request.Price < low || request.Price > high)
        {
            return OrderRefusal.PriceOutOfBand;
        }

        if (request.Quantity <= 0 || request.Quantity % LotSize != 0 || request.Quantity > 1_000_000_000)
        {
            return OrderRefusal.NotWholeLot;
        }

        return request.Side switch
        {
            OrderSide.Buy when Cost(request) > availableCash => OrderRefusal.InsufficientFunds,
            OrderSide.Sell when request.Quantity > availableShares => OrderRefusal.InsufficientPosition,
            _ => null,
        };
    }

    /// <summary>What a buy freezes and costs: price × quantity, nothing else.</summary>
    public static decimal Cost(OrderRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Price * request.Quantity;
    }

    /// <summary>
    /// The built-in counter's matching: a buy at or above the last price, or a sell at or below it, fills
    /// at once and in full at the limit price; any other order stays open until cancelled.
    /// </summary>
    public static bool FillsAtOnce(OrderSide side, decimal limit, decimal last) =>
        side == OrderSide.Buy ? limit >= last : limit <= last;
}
