using CallCenter.Contracts.BackOffice;

namespace CallCenter.BackOffice.Rules;

/// <summary>
/// The checks a bank transfer passes: a positive amount in whole fen, today's transfers of the
/// account (both directions) plus this one within the daily limit, and enough money on the side it
/// leaves (the available cash for brokerage → bank, the bank balance for bank → brokerage).
/// </summary>
internal static class TransferRules
{
    public static TransferRefusal? Check(TransferDirection direction, decimal amount, decimal transferredToday, decimal dailyLimit, decimal availableCash, decimal bankBalance)
    {
        if (amount <= 0)
        {
            return TransferRefusal.AmountNotPositive;
        }

        if (!Money.IsWholeFen(amount))
        {
            return TransferRefusal.AmountTooPrecise;
        }

        if (transferredToday + amount > dailyLimit)
        {
            return TransferRefusal.OverDailyLimit;
        }

        return direction switch
        {
            TransferDirection.BrokerageToBank when amount > availableCash => TransferRefusal.InsufficientFunds,
            TransferDirection.BankToBrokerage when amount > bankBalance => TransferRefusal.InsufficientBankBalance,
            _ => null,
        };
    }
}
