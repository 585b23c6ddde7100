using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>The sign-in page (Mandarin and English), styled by the desk's style sheet.</summary>
internal static class DeskSignInPage
{
    public static string Render(AntiforgeryTokenSet tokens, string? signedInAs, string? message, string? login)
    {
        var html = HtmlEncoder.Default;
        var field = html.Encode(tokens.FormFieldName);
        var token = html.Encode(tokens.RequestToken ?? "");
        var page = new StringBuilder();
        page.Append("""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>坐席登录 · Desk sign-in</title>
            <link rel="stylesheet" href="/desk/assets/style.css"></head>
            <body>
            <main class="signin"><section class="panel">
            <h1><span class="logo" aria-hidden="true">☎</span> 坐席登录 · Desk sign-in</h1>

            """);
        if (message is not null)
        {
            page.Append("<p role=\"alert\">").Append(html.Encode(message)).Append("</p>\n");
        }

        if (signedInAs is not null)
        {
            page.Append("<p>已登录 · Signed in as <strong>").Append(html.Encode(signedInAs)).Append("</strong></p>\n")
                .Append("<form method=\"post\" action=\"/desk/signout\">\n")
                .Append("<input type=\"hidden\" name=\"").Append(field).Append("\" value=\"").Append(token).Append("\">\n")
                .Append("<button type=\"submit\">退出 · Sign out</button>\n</form>\n");
        }
        else
        {
            page.Append("<form method=\"post\" action=\"/desk/signin\">\n")
                .Append("<input type=\"hidden\" name=\"").Append(field).Append("\" value=\"").Append(token).Append("\">\n")
                .Append("<p><label for=\"login\">账号 · Login</label><br><input id=\"login\" name=\"login\" autocomplete=\"username\" required maxlength=\"64\" value=\"")
                .Append(html.Encode(login ?? "")).Append("\"></p>\n")
                .Append("<p><label for=\"password\">密码 · Password</label><br><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"256\"></p>\n")
                .Append("<p><button type=\"submit\">登录 · Sign in</button></p>\n</form>\n");
        }

        page.Append("</section></main>\n</body>\n</html>\n");
        return page.ToString();
    }
}
