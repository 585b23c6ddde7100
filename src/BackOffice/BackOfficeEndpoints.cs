using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.BackOffice;

/// <summary>
/// GET /api/backoffice/accounts/{account} (design.md section 4): the built-in back office's view of an
/// account, for operators and acceptance checks; 404 for an unknown account. Mapped on the host's /api
/// group (a supervisor or admin session, or X-Api-Key), and only when the built-in back office is configured.
/// </summary>
internal static class BackOfficeEndpoints
{
    public const int Latest = 100;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/backoffice/accounts/{account}", async (string account, BuiltInBackOffice backOffice, CancellationToken cancellationToken) =>
        {
            if (account.Length is 0 or > 32 || !account.All(char.IsAsciiDigit))
            {
                return Results.Problem("A fund account is digits only (for example 880000000001).", statusCode: StatusCodes.Status400BadRequest);
            }

            if (await backOffice.GetAccountViewAsync(account, Latest, cancellationToken) is not { } view)
            {
                return Results.Problem($"No fund account {account}.", statusCode: StatusCodes.Status404NotFound);
            }

            return Results.Json(new
            {
                account,
                phone = view.Phone,
                currency = view.Funds.Currency,
                cash = view.Funds.Cash,
                frozen = view.Funds.Frozen,
                available = view.Funds.Available,
                positions = view.Positions.Select(p => new { code = p.Code, name = p.Name, quantity = p.Quantity, available = p.Available, lastPrice = p.LastPrice, marketValue = p.MarketValue }),
                bankBalance = view.BankLinks.Sum(b => b.Balance),
                bankLinks = view.BankLinks.Select(b => new { bankCode = b.BankCode, bankName = b.BankName, card = b.MaskedCardNumber, balance = b.Balance }),
                orders = view.Orders.Select(o => new
                {
                    id = o.Id,
                    code = o.Code,
                    name = o.Name,
                    side = o.Side == Contracts.BackOffice.OrderSide.Buy ? "buy" : "sell",
                    price = o.Price,
                    quantity = o.Quantity,
                    status = o.Status.ToString().ToLowerInvariant(),
                    placedAt = o.PlacedAt,
                }),
                transfers = view.Transfers.Select(t => new
                {
                    id = t.Id,
                    direction = t.Direction == Contracts.BackOffice.TransferDirection.BankToBrokerage ? "bankToBrokerage" : "brokerageToBank",
                    amount = t.Amount,
                    bankCode = t.BankCode,
                    at = t.At,
                }),
            });
        });
    }
}
