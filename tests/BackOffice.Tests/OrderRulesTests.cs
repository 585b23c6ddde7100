using CallCenter.BackOffice.Rules;
using CallCenter.Contracts.BackOffice;

namespace CallCenter.BackOffice.Tests;

public sealed class OrderRulesTests
{
    private static readonly Quote _pufa = new("600000", "浦发银行", 10.50m, 10.00m);

    private static OrderRefusal? Check(string code, OrderSide side, decimal price, long quantity, decimal cash = 100_000m, long shares = 1_000) =>
        OrderRules.Check(new OrderRequest("880000000001", code, side, price, quantity), code == _pufa.Code ? _pufa : null, cash, shares);

    [Test]
    public void AnOrderInsideTheBandInWholeLotsWithTheMoneyPasses()
    {
        Assert.That(Check("600000", OrderSide.Buy, 10.50m, 500), Is.Null);
        Assert.That(Check("600000", OrderSide.Sell, 9.00m, 1_000), Is.Null);
    }

    [TestCase("60000")]
    [TestCase("6000000")]
    [TestCase("60000a")]
    [TestCase("600036")]
    [TestCase("")]
    public void ACodeThatIsNotSixDigitsOrNotQuotedIsUnknown(string code) =>
        Assert.That(Check(code, OrderSide.Buy, 10.00m, 100), Is.EqualTo(OrderRefusal.UnknownCode));

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(10.001)]
    public void AZeroNegativeOrSubFenPriceIsInvalid(decimal price) =>
        Assert.That(Check("600000", OrderSide.Buy, price, 100), Is.EqualTo(OrderRefusal.InvalidPrice));

    [TestCase(8.99)]
    [TestCase(11.01)]
    public void APriceOutsideTenPercentOfThePreviousCloseIsOutOfBand(decimal price) =>
        Assert.That(Check("600000", OrderSide.Buy, price, 100), Is.EqualTo(OrderRefusal.PriceOutOfBand));

    [TestCase(9.00)]
    [TestCase(11.00)]
    public void TheBandsEdgesAreAllowed(decimal price) =>
        Assert.That(Check("600000", OrderSide.Sell, price, 100), Is.Null);

    [Test]
    public void TheBandIsRoundedInwardsToTheFen()
    {
        // 10.05 × 0.9 = 9.045 and × 1.1 = 11.055: 9.04 and 11.06 would be outside ±10 %.
        Assert.That(OrderRules.PriceBand(10.05m), Is.EqualTo((9.05m, 11.05m)));
    }

    [TestCase(0)]
    [TestCase(-100)]
    [TestCase(150)]
    [TestCase(99)]
    public void AQuantityThatIsNotAPositiveWholeLotIsRefused(long quantity) =>
        Assert.That(Check("600000", OrderSide.Buy, 10.00m, quantity), Is.EqualTo(OrderRefusal.NotWholeLot));

    [Test]
    public void ABuyNeedsPriceTimesQuantityOfAvailableCashAndNoMore()
    {
        Assert.That(Check("600000", OrderSide.Buy, 10.00m, 1_000, cash: 10_000.00m), Is.Null);
        Assert.That(Check("600000", OrderSide.Buy, 10.00m, 1_000, cash: 9_999.99m), Is.EqualTo(OrderRefusal.InsufficientFunds));
    }

    [Test]
    public void ASellNeedsTheSharesFreeToSell()
    {
        Assert.That(Check("600000", OrderSide.Sell, 10.00m, 1_100, shares: 1_000), Is.EqualTo(OrderRefusal.InsufficientPosition));
        Assert.That(Check("600000", OrderSide.Sell, 10.00m, 100, shares: 0), Is.EqualTo(OrderRefusal.InsufficientPosition));
    }

    [Test]
    public void TheCounterFillsABuyAtOrAboveTheLastAndASellAtOrBelowIt()
    {
        Assert.That(OrderRules.FillsAtOnce(OrderSide.Buy, 10.50m, 10.50m), Is.True);
        Assert.That(OrderRules.FillsAtOnce(OrderSide.Buy, 10.49m, 10.50m), Is.False);
        Assert.That(OrderRules.FillsAtOnce(OrderSide.Sell, 10.50m, 10.50m), Is.True);
        Assert.That(OrderRules.FillsAtOnce(OrderSide.Sell, 10.51m, 10.50m), Is.False);
    }
}
