namespace CallCenter.AgentDesk.Tests;

public sealed class DeskOptionsTests
{
    [Test]
    public void TheDefaultsAreValid()
    {
        var options = new DeskOptions();

        Assert.That((options.SessionMinutes, options.MaxFailedSignIns, options.LockoutMinutes), Is.EqualTo((480, 5, 15)));
        Assert.That((options.MaxFailedSignInsPerAddress, options.AddressWindowMinutes, options.AddressBanMinutes), Is.EqualTo((20, 10, 15)));
        Assert.That(options.Validate(), Is.Empty);
    }

    [Test]
    public void EachValueOutOfRangeIsNamedByItsKey()
    {
        var options = new DeskOptions
        {
            SessionMinutes = 0,
            MaxFailedSignIns = 0,
            LockoutMinutes = 100_000,
            MaxFailedSignInsPerAddress = 0,
            AddressWindowMinutes = 0,
            AddressBanMinutes = 1441,
        };

        var errors = options.Validate().ToList();

        Assert.That(errors, Has.Count.EqualTo(6));
        Assert.That(errors, Has.One.StartsWith("Desk:MaxFailedSignInsPerAddress"));
        Assert.That(errors, Has.One.StartsWith("Desk:AddressWindowMinutes"));
        Assert.That(errors, Has.One.StartsWith("Desk:AddressBanMinutes"));
        Assert.That(errors, Has.One.StartsWith("Desk:SessionMinutes"));
        Assert.That(errors, Has.One.StartsWith("Desk:MaxFailedSignIns "));
        Assert.That(errors, Has.One.StartsWith("Desk:LockoutMinutes"));
    }

    [Test]
    public void TrustedProxiesAreAddressesOrNetworksAndABadOneIsNamed()
    {
        var options = new DeskOptions { TrustedProxies = ["10.0.0.5", "192.168.0.0/16, ::1", "proxy.example"] };

        var networks = options.TrustedProxyNetworks().Select(n => n.ToString());

        Assert.That(networks, Is.EqualTo(new[] { "10.0.0.5/32", "192.168.0.0/16", "::1/128" }));
        Assert.That(options.Validate(), Is.EqualTo(new[] { "Desk:TrustedProxies: \"proxy.example\" is not an address or a CIDR network (such as 10.0.0.5 or 10.0.0.0/24)." }));
    }
}
