using CallCenter.ResourceControl.Outbound;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>The outbound dial plan: what the trunk dials for what an agent typed, and what it refuses before any INVITE.</summary>
public sealed class DialPlanTests
{
    private static readonly DialingOptions _defaults = new();

    [TestCase("13800000001", "13800000001", "+8613800000001", NumberKind.Mobile)]
    [TestCase("138 0000 0001", "13800000001", "+8613800000001", NumberKind.Mobile)]
    [TestCase("+86 138-0000-0001", "13800000001", "+8613800000001", NumberKind.Mobile)]
    [TestCase("008613800000001", "13800000001", "+8613800000001", NumberKind.Mobile)]
    [TestCase("02161234567", "02161234567", "+862161234567", NumberKind.Fixed)]
    [TestCase("(010) 6123 4567", "01061234567", "+861061234567", NumberKind.Fixed)]
    [TestCase("+86 21 6123 4567", "02161234567", "+862161234567", NumberKind.Fixed)]
    [TestCase("07552345678", "07552345678", "+867552345678", NumberKind.Fixed)]
    [TestCase("075523456789", "075523456789", "+8675523456789", NumberKind.Fixed)]
    [TestCase("61234567", "02161234567", "+862161234567", NumberKind.Fixed)]
    [TestCase("4008208820", "4008208820", "+864008208820", NumberKind.Service)]
    public void MainlandNumbersAreDialledInNationalForm(string typed, string dial, string e164, NumberKind kind)
    {
        var (number, refusal) = DialPlan.Normalize(typed, _defaults);

        Assert.That(refusal, Is.Null, refusal?.Reason);
        Assert.That(number, Is.EqualTo(new DialableNumber(dial, e164, kind)));
    }

    [TestCase("", "no number", false)]
    [TestCase("1380000000a", "not a phone number", false)]
    [TestCase("110", "emergency", true)]
    [TestCase("+86 120", "emergency", true)]
    [TestCase("10086", "short codes", true)]
    [TestCase("0216123456", "not a valid fixed-line", false)]
    [TestCase("021612345678", "not a valid fixed-line", false)]
    [TestCase("12590123456", "special service", true)]
    [TestCase("12306", "special service", true)]
    [TestCase("02116812345", "special services (114, 168", true)]
    [TestCase("+86 21 1681 2345", "special services (114, 168", true)]
    [TestCase("075516812345", "special services (114, 168", true)]
    [TestCase("01001234567", "does not start with 0", false)]
    [TestCase("004420794600", "international calls are not allowed", true)]
    [TestCase("+44 20 7946 0000", "international calls are not allowed", true)]
    [TestCase("12345678901", "special service", true)]
    [TestCase("11234567890", "not a mainland", false)]
    public void WhatTheTrunkMustNotDialIsRefusedWithTheReasonAndWhetherItIsANumberThePlatformMayNotDial(string typed, string reason, bool notAllowed)
    {
        var (number, refusal) = DialPlan.Normalize(typed, _defaults);

        Assert.That(number, Is.Null);
        Assert.That(refusal!.Reason, Does.Contain(reason));
        Assert.That(refusal.NotAllowed, Is.EqualTo(notAllowed), "a caller keying a number hears \"not a valid number\" or \"we cannot call that number\" by this");
    }

    [Test]
    public void AbroadIsDialledWith00OnlyWhenAllowed()
    {
        var options = new DialingOptions { AllowInternational = true };

        Assert.That(DialPlan.Normalize("+44 20 7946 0000", options).Number, Is.EqualTo(new DialableNumber("00442079460000", "+442079460000", NumberKind.International)));
        Assert.That(DialPlan.Normalize("00852 2123 4567", options).Number!.Dial, Is.EqualTo("0085221234567"));
        Assert.That(DialPlan.Normalize("0001234567", options).Refusal!.Reason, Does.Contain("not a valid international"));
    }

    [Test]
    public void BarredPrefixesAreRefusedWhateverTheFormTyped()
    {
        var options = new DialingOptions { Barred = ["021612", "00852"], AllowInternational = true };

        Assert.That(DialPlan.Normalize("+86 21 6123 4567", options).Refusal!.Reason, Does.Contain("barred"));
        Assert.That(DialPlan.Normalize("+86 21 6123 4567", options).Refusal!.NotAllowed, Is.True);
        Assert.That(DialPlan.Normalize("61234567", options).Refusal!.Reason, Does.Contain("barred"));
        Assert.That(DialPlan.Normalize("+852 2123 4567", options).Refusal!.Reason, Does.Contain("barred"));
        Assert.That(DialPlan.Normalize("02171234567", options).Number, Is.Not.Null);
    }

    [Test]
    public void ALocalNumberWithoutAConfiguredAreaCodeIsRefused() =>
        Assert.That(DialPlan.Normalize("61234567", new DialingOptions { AreaCode = "" }).Refusal!.Reason, Does.Contain("needs its area code"));
}
