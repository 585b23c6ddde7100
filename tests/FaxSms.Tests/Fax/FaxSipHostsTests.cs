using CallCenter.FaxSms.Fax;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// A fax by SIP URI goes only to a host on <c>Fax:SipHosts</c> (or to the platform's own fax number at its own
/// address): before the list, an API user could make the platform INVITE any host and port they named.
/// </summary>
public sealed class FaxSipHostsTests
{
    // The platform (the fake) is at 127.0.0.1:5060 and [::1]:5060; its trunk at 198.51.100.7.
    private static readonly FakeFaxNumbers _numbers = new("13800000001");

    [TestCase("sip:95580@192.0.2.10:5060", "192.0.2.10:5060")]
    [TestCase("sip:95580@192.0.2.10", "192.0.2.10:5060")]
    [TestCase("sip:fax@127.0.0.1:5070", "127.0.0.1:5070")] // loopback, another port: some other service on the host
    [TestCase("sip:1000@127.0.0.1", "127.0.0.1:5060")] // the platform's own address, but not its fax number
    [TestCase("sip:95580@[::1]:5080", "[::1]:5080")]
    [TestCase("sip:00861012345@10.20.30.40:5060;transport=udp", "10.20.30.40:5060")] // another PBX's gateway
    public void WithNoListASipUriToAnotherHostIsRefusedNamingTheKey(string to, string shown)
    {
        var reason = FaxDestination.Check(to, "95580", FaxSipHosts.None, _numbers);

        Assert.That(reason, Does.Contain($"{shown} is not on Fax:SipHosts"));
    }

    [TestCase("95580")]
    [TestCase("sip:95580@127.0.0.1")]
    [TestCase("sip:95580@127.0.0.1:5060")]
    [TestCase("sip:95580@[::1]")]
    [TestCase("13800000001")]
    public void TheOwnFaxNumberAndTelephoneNumbersNeedNoEntry(string to) =>
        Assert.That(FaxDestination.Check(to, "95580", FaxSipHosts.None, _numbers), Is.Null);

    [TestCase("sip:fax@192.0.2.10:5070")]
    [TestCase("sip:fax@[2001:db8::5]:9000")]
    [TestCase("sip:fax@[2001:db8::5]")]
    [TestCase("sip:fax@[::1]:5062")]
    [TestCase("sip:fax@203.0.113.1:1234")]
    [TestCase("sip:fax@203.0.113.2:5080")]
    [TestCase("sip:fax@[::ffff:192.0.2.10]:5070")] // the same IPv4 address, written as IPv6
    public void AListedHostIsFaxedTo(string to) =>
        Assert.That(FaxDestination.Check(to, "95580", Listed(), _numbers), Is.Null);

    [TestCase("sip:fax@192.0.2.10")] // listed on 5070 only: 5060 is not
    [TestCase("sip:fax@192.0.2.10:5071")]
    [TestCase("sip:fax@192.0.2.11:5070")]
    [TestCase("sip:fax@[::1]:5060")]
    [TestCase("sip:fax@203.0.113.2")]
    public void AnotherHostOrPortIsNot(string to) =>
        Assert.That(FaxDestination.Check(to, "95580", Listed(), _numbers), Does.Contain("is not on Fax:SipHosts"));

    [TestCase("sip:fax@0.0.0.0", "not a host's address")] // "any" reaches the host itself
    [TestCase("sip:fax@[::]:5060", "not a host's address")]
    [TestCase("sip:fax@224.0.1.75", "not a host's address")]
    [TestCase("sip:fax@127.1", "not an IP address")] // 127.0.0.1 in the legacy short form
    [TestCase("sip:fax@2130706433", "not an IP address")]
    public void WhatIsNotAHostsAddressIsRefusedEvenWhenAnythingWereListed(string to, string reason) =>
        Assert.That(FaxDestination.Check(to, "95580", FaxSipHosts.Parse(["0.0.0.0", "127.0.0.1", "::"]), _numbers), Does.Contain(reason));

    [Test]
    public void ATrunksAddressStaysRefusedEvenWhenListed() =>
        Assert.That(FaxDestination.Check("sip:00900123@198.51.100.7", "95580", FaxSipHosts.Parse(["198.51.100.7"]), _numbers), Does.Contain("trunk's address"));

    [TestCase("fax.example.com", "not an IP address")]
    [TestCase("10.0.0.5:0", "port")]
    [TestCase("10.0.0.5:70000", "port")]
    [TestCase("0.0.0.0", "not a host's address")]
    [TestCase("1", "not an IP address")]
    [TestCase("[::1", "not an IP address")]
    [TestCase("239.1.1.1:5060", "not a host's address")]
    public void AnEntryThatIsNotAHostStopsStartUpNamingTheKey(string entry, string reason)
    {
        var errors = new FaxOptions { SipHosts = ["192.0.2.10", entry] }.Validate().ToList();

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("Fax:SipHosts: ").And.Contain($"\"{entry}\"").And.Contain(reason));
    }

    [Test]
    public void GoodEntriesAreNoError() =>
        Assert.That(new FaxOptions { SipHosts = ["192.0.2.10:5070", "2001:db8::5", "[::1]:5062", "203.0.113.1, 203.0.113.2:5080"] }.Validate(), Is.Empty);

    [Test]
    public void TheListIsEmptyByDefault() =>
        Assert.That(FaxDestination.Check("sip:fax@192.0.2.10", "95580", new FaxOptions().ToSipHosts(), _numbers), Does.Contain("Fax:SipHosts"));

    private static FaxSipHosts Listed() => FaxSipHosts.Parse(["192.0.2.10:5070", "2001:db8::5", "[::1]:5062", "203.0.113.1, 203.0.113.2:5080"]);
}
