using CallCenter.BackOffice.Rules;
using CallCenter.Contracts.BackOffice;

namespace CallCenter.BackOffice.Tests;

public sealed class TransferRulesTests
{
    private static TransferRefusal? Check(TransferDirection direction, decimal amount, decimal today = 0, decimal cash = 100_000m, decimal bank = 200_000m) =>
        TransferRules.Check(direction, amount, today, 50_000m, cash, bank);

    [Test]
    public void ATransferWithinTheLimitAndTheMoneyPasses()
    {
        Assert.That(Check(TransferDirection.BankToBrokerage, 50_000.00m), Is.Null);
        Assert.That(Check(TransferDirection.BrokerageToBank, 0.01m), Is.Null);
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void AZeroOrNegativeAmountIsRefused(decimal amount) =>
        Assert.That(Check(TransferDirection.BankToBrokerage, amount), Is.EqualTo(TransferRefusal.AmountNotPositive));

    [Test]
    public void AnAmountWithMoreThanTwoDecimalsIsRefused() =>
        Assert.That(Check(TransferDirection.BankToBrokerage, 10.005m), Is.EqualTo(TransferRefusal.AmountTooPrecise));

    [Test]
    public void TodaysTransfersCountTowardsTheDailyLimit()
    {
        Assert.That(Check(TransferDirection.BrokerageToBank, 50_000.01m), Is.EqualTo(TransferRefusal.OverDailyLimit));
        Assert.That(Check(TransferDirection.BankToBrokerage, 10_000.00m, today: 40_000.01m), Is.EqualTo(TransferRefusal.OverDailyLimit));
        Assert.That(Check(TransferDirection.BankToBrokerage, 10_000.00m, today: 40_000.00m), Is.Null);
    }

    [Test]
    public void TheSideTheMoneyLeavesMustHoldIt()
    {
        Assert.That(Check(TransferDirection.BrokerageToBank, 1_000.00m, cash: 999.99m), Is.EqualTo(TransferRefusal.InsufficientFunds));
        Assert.That(Check(TransferDirection.BankToBrokerage, 1_000.00m, cash: 0m, bank: 999.99m), Is.EqualTo(TransferRefusal.InsufficientBankBalance));
        Assert.That(Check(TransferDirection.BankToBrokerage, 1_000.00m, cash: 0m, bank: 1_000m), Is.Null);
    }
}
