using CallCenter.Data;
using Dapper;

namespace CallCenter.FaxSms.Broadcasts;

/// <summary>
/// The demo's broadcast data (only with <c>Demo:Seed</c>): the three VIP clients subscribe to the
/// morning strategy note (<c>morning-note</c>), every demo client has a birthday, and two templates
/// exist. No schedule is seeded, so a demo never sends anything by itself.
/// </summary>
public static class BroadcastDemo
{
    public const string MorningNoteTopic = "morning-note";

    public static async Task SeedAsync(DbConnectionFactory factory, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var phone in new[] { "13800000001", "13800000002", "13800000003" })
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO client_subscriptions (phone, topic) VALUES (@phone, @topic) ON CONFLICT DO NOTHING",
                new { phone, topic = MorningNoteTopic }, transaction, cancellationToken: cancellationToken));
        }

        string[] birthdays = ["1968-03-15", "1975-07-08", "1982-11-20", "1990-05-02", "1986-09-30", "1959-01-25"];
        for (var i = 0; i < birthdays.Length; i++)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO client_birthdays (phone, birthday) VALUES (@phone, @birthday) ON CONFLICT DO NOTHING",
                new { phone = $"1380000000{i + 1}", birthday = birthdays[i] }, transaction, cancellationToken: cancellationToken));
        }

        (string Id, string Name, string Zh, string En)[] templates =
        [
            ("tpl-demo-morning-note", "早盘策略 Morning note", "【早盘策略】{{name}}您好，{{date}}早盘策略已发布，详询您的客户经理{{manager}}。退订回TD", "[Morning note] Dear {{name}}, the strategy note for {{date}} is out; ask {{manager}} for details. Reply STOP to opt out"),
            ("tpl-demo-birthday", "生日祝福 Birthday", "{{name}}您好，祝您生日快乐！感谢您一直以来的信任。退订回TD", "Dear {{name}}, happy birthday, and thank you for your trust. Reply STOP to opt out"),
        ];
        foreach (var t in templates)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO broadcast_templates (id, name, channel, body_zh, body_en, created_at_ms) VALUES (@Id, @Name, 'sms', @Zh, @En, @at) ON CONFLICT DO NOTHING",
                new { t.Id, t.Name, t.Zh, t.En, at = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
