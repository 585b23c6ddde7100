using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>Signs a desk user in through the sign-in form, as a person does, and waits for the page they land on.</summary>
internal static class DeskSession
{
    public static async Task<IPage> SignInAsync(IBrowserContext context, string login, string password, string landing)
    {
        ArgumentNullException.ThrowIfNull(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync(DeskPages.SignIn);
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync(password);
        await page.Locator("form[action='/desk/signin'] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == landing, new() { Timeout = 15_000 });
        return page;
    }

    /// <summary>The element with <c>data-testid</c> <paramref name="id"/> (src/AgentDesk/Hubs/README.md lists them).</summary>
    public static ILocator TestId(this IPage page, string id)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.GetByTestId(id);
    }
}
