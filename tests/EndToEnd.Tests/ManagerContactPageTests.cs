using System.Text.RegularExpressions;
using CallCenter.Integration.Tests;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// The admin page's form for an account manager's contact (issue 18), in Chromium: a bad mobile number and a bad
/// e-mail address are each named next to their field and nothing is saved; good ones are saved through
/// <c>PUT /api/admin/agents/{extension}/contact</c>, read back by the API and shown again when the form reopens.
/// </summary>
[NonParallelizable]
public sealed partial class ManagerContactPageTests
{
    private PlatformProcess _platform = null!;
    private Chromium _chromium = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _platform = await PlatformProcess.StartAsync();
        _chromium = await Chromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }

    private async Task<System.Text.Json.JsonElement> ContactAsync(string extension)
    {
        var (status, body) = await _platform.GetApiAsync($"api/admin/agents/{extension}/contact");
        Assert.That(status, Is.EqualTo(System.Net.HttpStatusCode.OK), body.ToString());
        return body;
    }

    [Test]
    public async Task BadNumbersAndAddressesAreNamedAndNotSavedGoodOnesAreSavedAndShownAgain()
    {
        await using var context = await _chromium.NewContextAsync(_platform.BaseAddress);
        var page = await DeskSession.SignInAsync(context, "admin", "demo-admin", DeskPages.Admin);

        await page.TestId("admin-agent-contact-1004").ClickAsync();
        var form = page.TestId("contact-form-1004");
        await Assertions.Expect(form).ToBeVisibleAsync();
        await form.GetByTestId("contact-mobile").FillAsync("139-0000-1004x");
        await form.GetByTestId("contact-email").FillAsync("wang at broker");
        await form.GetByTestId("contact-save").ClickAsync();

        await Assertions.Expect(form.GetByTestId("contact-mobile-error")).ToHaveTextAsync(MobileError());
        await Assertions.Expect(form.GetByTestId("contact-email-error")).ToHaveTextAsync(EmailError());
        await Assertions.Expect(form.GetByTestId("contact-mobile")).ToHaveAttributeAsync("aria-invalid", "true");
        var unchanged = await ContactAsync("1004");
        Assert.That(unchanged.GetProperty("mobile").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "a refused form saves nothing");

        // A good number with a bad address: the number alone is not sent either.
        await form.GetByTestId("contact-mobile").FillAsync("+8613900001004");
        await form.GetByTestId("contact-save").ClickAsync();
        await Assertions.Expect(form.GetByTestId("contact-mobile-error")).ToHaveCountAsync(0);
        await Assertions.Expect(form.GetByTestId("contact-email-error")).ToBeVisibleAsync();
        Assert.That((await ContactAsync("1004")).GetProperty("mobile").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));

        await form.GetByTestId("contact-email").FillAsync("wang.wei@broker.example");
        await form.GetByTestId("contact-save").ClickAsync();
        await Assertions.Expect(form.GetByTestId("contact-message")).ToContainTextAsync("1004");
        await Assertions.Expect(form.GetByTestId("contact-email-error")).ToHaveCountAsync(0);

        var saved = await ContactAsync("1004");
        Assert.That((saved.GetProperty("mobile").GetString(), saved.GetProperty("email").GetString()), Is.EqualTo(("+8613900001004", "wang.wei@broker.example")));

        // Reopened after a reload, the form shows what is stored.
        await page.ReloadAsync();
        await page.TestId("admin-agent-contact-1004").ClickAsync();
        await Assertions.Expect(page.TestId("contact-mobile")).ToHaveValueAsync("+8613900001004");
        await Assertions.Expect(page.TestId("contact-email")).ToHaveValueAsync("wang.wei@broker.example");

        // Cleared: empty fields clear both.
        await page.TestId("contact-mobile").FillAsync("");
        await page.TestId("contact-email").FillAsync("");
        await page.TestId("contact-save").ClickAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var cleared = await ContactAsync("1004");
        while (cleared.GetProperty("email").ValueKind != System.Text.Json.JsonValueKind.Null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            cleared = await ContactAsync("1004");
        }

        Assert.That((cleared.GetProperty("mobile").ValueKind, cleared.GetProperty("email").ValueKind), Is.EqualTo((System.Text.Json.JsonValueKind.Null, System.Text.Json.JsonValueKind.Null)));
    }

    [GeneratedRegex("(手机号码应为 5 到 20 位数字|A mobile number is 5 to 20 digits)")]
    private static partial Regex MobileError();

    [GeneratedRegex("(电子邮箱应为一个地址|An e-mail address is one address)")]
    private static partial Regex EmailError();
}
