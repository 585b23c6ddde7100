using System.Net;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>GET /api/backoffice/accounts/{account} on the running platform with the demo data (design.md section 4).</summary>
[NonParallelizable]
public sealed class BackOfficeApiTests
{
    [Test]
    public async Task TheDemoFundAccountShowsItsCashPositionBankAndNoOrdersOrTransfers()
    {
        await using var platform = await PlatformProcess.StartAsync();

        var (status, body) = await platform.GetApiAsync("api/backoffice/accounts/880000000001");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("cash").GetDecimal(), Is.EqualTo(100_000.00m));
        Assert.That(body.GetProperty("available").GetDecimal(), Is.EqualTo(100_000.00m));
        Assert.That(body.GetProperty("phone").GetString(), Is.EqualTo("13800000001"));
        var positions = body.GetProperty("positions").EnumerateArray().Select(p => (p.GetProperty("code").GetString(), p.GetProperty("quantity").GetInt64())).ToList();
        Assert.That(positions, Is.EqualTo(new[] { ("600000", 1_000L) }));
        Assert.That(body.GetProperty("bankBalance").GetDecimal(), Is.GreaterThan(0m));
        Assert.That(body.GetProperty("orders").ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(body.GetProperty("orders").GetArrayLength(), Is.Zero);
        Assert.That(body.GetProperty("transfers").GetArrayLength(), Is.Zero);
        Assert.That(body.ToString(), Does.Not.Contain("pin").IgnoreCase);

        Assert.That((await platform.GetApiAsync("api/backoffice/accounts/880000000006")).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await platform.GetApiAsync("api/backoffice/accounts/880000000009")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await platform.GetApiAsync("api/backoffice/accounts/880000000001", apiKey: null)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task WithoutTheBuiltInBackOfficeThereIsNoSuchEndpoint()
    {
        await using var platform = await PlatformProcess.StartAsync("--BackOffice:Provider=none");

        Assert.That((await platform.GetApiAsync("api/backoffice/accounts/880000000001")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
