using System.Text.RegularExpressions;

namespace CallCenter.AgentDesk.Tests.Endpoints;

/// <summary>The desk's sign-in form as a browser uses it: GET the page for its anti-forgery token, then POST it.</summary>
internal static partial class DeskForm
{
    public static readonly Uri SignInPath = new("/desk/signin", UriKind.Relative);

    /// <summary>Signs in through the form; the response is the form's answer (a redirect when signed in).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string login, string password)
    {
        ArgumentNullException.ThrowIfNull(browser);
        using var page = await browser.GetAsync(SignInPath);
        var token = TokenIn(await page.Content.ReadAsStringAsync());
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["login"] = login,
            ["password"] = password,
        });
        return await browser.PostAsync(SignInPath, form);
    }

    /// <summary>The anti-forgery token of a desk form page; empty when the page has none.</summary>
    public static string TokenIn(string html) => TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : "";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
