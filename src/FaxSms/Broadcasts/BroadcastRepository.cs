using System.Data.Common;
using System.Text.Json;
using CallCenter.Contracts.BackOffice;
using CallCenter.Data;
using CallCenter.FaxSms.Outbox;
using Dapper;

namespace CallCenter.FaxSms.Broadcasts;

/// <summary>A template as stored.</summary>
public sealed record BroadcastTemplate(string Id, string Name, string Channel, string BodyZh, string? BodyEn, DateTimeOffset CreatedAt, string? SubjectZh = null, string? SubjectEn = null);

/// <summary>What starting a broadcast asks for.</summary>
public sealed record BroadcastOrder(string TemplateId, Audience Audience, bool RiskNotice, DateTimeOffset StartsAt, string RequestedBy, string? RequestKey);

/// <summary>A broadcast with its messages' progress by status.</summary>
public sealed record BroadcastView(
    string Id, string TemplateId, string TemplateName, Audience Audience, bool RiskNotice, string RequestedBy, DateTimeOffset CreatedAt, DateTimeOffset StartsAt,
    int AudienceSize, int Queued, IReadOnlyDictionary<string, int> Skipped, IReadOnlyDictionary<string, int> Progress);

/// <summary>A tier or topic and how many clients it has.</summary>
public sealed record AudienceChoice(string Name, int Clients);

/// <summary>
/// The directory's size, tiers and subscription topics, for composing an audience; with a back office,
/// the stocks clients hold and how many have no bank account bound (null without one).
/// </summary>
public sealed record AudienceChoices(int Clients, IReadOnlyList<AudienceChoice> Tiers, IReadOnlyList<AudienceChoice> Topics, IReadOnlyList<HeldStock>? Stocks = null, int? NoBankLink = null);

/// <summary>An audience turned into messages, before anything is written.</summary>
internal sealed record Expansion(int Size, string Channel, IReadOnlyList<BroadcastSms> Messages, IReadOnlyDictionary<string, int> Skipped);

/// <summary>A schedule as stored.</summary>
public sealed record BroadcastSchedule(
    string Id, string Name, string Cron, bool TradingDaysOnly, string TemplateId, Audience Audience, bool RiskNotice, DateTimeOffset? NextRunAt, DateTimeOffset? LastRunAt, string? LastBroadcastId);

/// <summary>
/// The one writer of the broadcast tables (0011): templates, broadcasts with the outbox messages they
/// make (in one transaction: a broadcast exists exactly when all its messages do), and schedules.
/// An audience is read first (the directory, opt-outs, and the back office through
/// <see cref="IClientHoldings"/> for holders, bank links and <c>{{holdings}}</c>: a counter that is
/// not this database and is never asked inside a transaction), then written in one transaction.
/// </summary>
public sealed class BroadcastRepository(DbConnectionFactory factory, BroadcastOptions options, IClientHoldings? backOffice = null)
{
    /// <summary>Whether a back office answers audiences by holding and bank link, and <c>{{holdings}}</c>.</summary>
    public bool HasBackOffice => backOffice is not null;

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>Stores a template (its texts checked by the caller); refused when the name is taken.</summary>
    public async Task<(BroadcastTemplate? Template, string? Error)> SaveTemplateAsync(BroadcastTemplate template, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        var name = template.Name;
        await using var connection = await factory.OpenAsync(cancellationToken);
        var taken = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM broadcast_templates WHERE name = @name", new { name }, cancellationToken: cancellationToken));
        if (taken > 0)
        {
            return (null, $"a template named \"{name}\" exists already");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO broadcast_templates (id, name, channel, body_zh, body_en, subject_zh, subject_en, created_at_ms) VALUES (@Id, @Name, @Channel, @BodyZh, @BodyEn, @SubjectZh, @SubjectEn, @at)",
            new { template.Id, template.Name, template.Channel, template.BodyZh, template.BodyEn, template.SubjectZh, template.SubjectEn, at = template.CreatedAt.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return (template, null);
    }

    public async Task<IReadOnlyList<BroadcastTemplate>> TemplatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, string Name, string Channel, string BodyZh, string? BodyEn, long At, string? SubjectZh, string? SubjectEn)>(new CommandDefinition(
            "SELECT id, name, channel, body_zh, body_en, created_at_ms, subject_zh, subject_en FROM broadcast_templates ORDER BY name", cancellationToken: cancellationToken));
        return [.. rows.Select(r => new BroadcastTemplate(r.Id, r.Name, r.Channel, r.BodyZh, r.BodyEn, DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.SubjectZh, r.SubjectEn))];
    }

    /// <summary>How many clients an audience reaches now and how many of them would be skipped, without sending anything.</summary>
    public async Task<(int Size, IReadOnlyList<BroadcastSms> Messages, IReadOnlyDictionary<string, int> Skipped)?> PreviewAsync(string templateId, Audience audience, bool riskNotice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await ExpandAsync(connection, templateId, audience, riskNotice, now, cancellationToken) is { } e ? (e.Size, e.Messages, e.Skipped) : null;
    }

    /// <summary>Starts a broadcast in a transaction of its own: its row, its outbox messages (due by the plan) and their links. Null for an unknown template.</summary>
    public async Task<BroadcastView?> CreateAsync(BroadcastOrder order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        await using var connection = await factory.OpenAsync(cancellationToken);
        if (await ExistingAsync(connection, null, order.RequestKey, cancellationToken) is { } existing)
        {
            return await GetAsync(existing, cancellationToken);
        }

        if (await ExpandAsync(connection, order.TemplateId, order.Audience, order.RiskNotice, now, cancellationToken) is not { } expansion)
        {
            return null;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await CreateAsync(connection, transaction, order, expansion, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    private static async Task<string?> ExistingAsync(DbConnection connection, DbTransaction? transaction, string? key, CancellationToken cancellationToken) =>
        key is null ? null : await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT id FROM broadcasts WHERE request_key = @key", new { key }, transaction, cancellationToken: cancellationToken));

    /// <summary>Writes a broadcast and its messages in the caller's transaction; returns its id (an existing one for a repeated request key).</summary>
    private async Task<string> CreateAsync(DbConnection connection, DbTransaction transaction, BroadcastOrder order, Expansion expansion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await ExistingAsync(connection, transaction, order.RequestKey, cancellationToken) is { } existing)
        {
            return existing;
        }

        var (size, channel, messages, skipped) = expansion;

        var id = "bc-" + Guid.NewGuid().ToString("N");
        var at = now.ToUnixTimeMilliseconds();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO broadcasts (id, request_key, template_id, audience, risk_notice, requested_by, created_at_ms, starts_at_ms, audience_size, queued, skipped)
            VALUES (@id, @RequestKey, @TemplateId, @audience, @risk, @RequestedBy, @at, @starts, @size, @queued, @skipped)
            """,
            new
            {
                id,
                order.RequestKey,
                order.TemplateId,
                audience = JsonSerializer.Serialize(order.Audience, _json),
                risk = order.RiskNotice ? 1 : 0,
                order.RequestedBy,
                at,
                starts = order.StartsAt.ToUnixTimeMilliseconds(),
                size,
                queued = messages.Count,
                skipped = JsonSerializer.Serialize(skipped, _json),
            },
            transaction,
            cancellationToken: cancellationToken));

        // Quiet hours are about phones buzzing at night: e-mail is not held by them.
        var email = channel == MessageChannel.Email;
        var times = BroadcastPlan.SendTimes(messages.Count, order.StartsAt > now ? order.StartsAt : now, email ? options.EmailPerSecond : options.SmsPerSecond, options.Quiet(), order.RiskNotice || email);
        var kind = order.RiskNotice ? MessageKind.RiskNotice : MessageKind.Broadcast;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = new OutboundMessage(MessageRequest.NewId(), channel, messages[i].Recipient, messages[i].Subject, messages[i].Body, kind, 0);
            await OutboxRepository.EnqueueAsync(connection, transaction, message, now, cancellationToken, times[i]);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO broadcast_messages (message_id, broadcast_id) VALUES (@mid, @id)", new { mid = message.Id, id }, transaction, cancellationToken: cancellationToken));
        }

        return id;
    }

    public async Task<BroadcastView?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var views = await ViewsAsync(connection, "WHERE b.id = @id", new { id }, cancellationToken);
        return views.Count == 0 ? null : views[0];
    }

    public async Task<IReadOnlyList<BroadcastView>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await ViewsAsync(connection, "ORDER BY b.created_at_ms DESC LIMIT @limit", new { limit }, cancellationToken);
    }

    public async Task<(BroadcastSchedule? Schedule, string? Error)> SaveScheduleAsync(string name, string cron, bool tradingDaysOnly, string templateId, Audience audience, bool riskNotice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ScheduleClock.Parse(cron) is not (var expression and not null, _))
        {
            return (null, ScheduleClock.Parse(cron).Error);
        }

        var next = ScheduleClock.Next(expression, now, options.Zone(), tradingDaysOnly, options.HolidayDates());
        var schedule = new BroadcastSchedule("bs-" + Guid.NewGuid().ToString("N"), name, cron, tradingDaysOnly, templateId, audience, riskNotice, next, null, null);
        await using var connection = await factory.OpenAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM broadcast_templates WHERE id = @templateId", new { templateId }, cancellationToken: cancellationToken)) == 0)
        {
            return (null, $"no template {templateId}");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO broadcast_schedules (id, name, cron, trading_days_only, template_id, audience, risk_notice, next_run_at_ms, last_run_at_ms, last_broadcast_id, created_at_ms)
            VALUES (@Id, @Name, @Cron, @trading, @TemplateId, @audience, @risk, @next, NULL, NULL, @at)
            """,
            new
            {
                schedule.Id,
                schedule.Name,
                schedule.Cron,
                trading = tradingDaysOnly ? 1 : 0,
                schedule.TemplateId,
                audience = JsonSerializer.Serialize(audience, _json),
                risk = riskNotice ? 1 : 0,
                next = next?.ToUnixTimeMilliseconds(),
                at = now.ToUnixTimeMilliseconds(),
            },
            cancellationToken: cancellationToken));
        return (schedule, null);
    }

    public async Task<IReadOnlyList<BroadcastSchedule>> SchedulesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await SchedulesAsync(connection, null, "", null, cancellationToken);
    }

    public async Task<bool> DeleteScheduleAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM broadcast_schedules WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Schedules whose next run is due at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<BroadcastSchedule>> DueSchedulesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await SchedulesAsync(connection, null, "WHERE next_run_at_ms IS NOT NULL AND next_run_at_ms <= @now", new { now = now.ToUnixTimeMilliseconds() }, cancellationToken);
    }

    /// <summary>
    /// Runs one due schedule: moves its next run on from <paramref name="due"/> (only if no one else
    /// did: another node, an earlier pass) and, in the same transaction, starts its broadcast, unless
    /// <paramref name="run"/> is false (the run was missed by too much and is only skipped).
    /// Returns the broadcast's id, or null when the run was skipped or already taken.
    /// </summary>
    public async Task<(bool Claimed, string? BroadcastId)> RunScheduleAsync(BroadcastSchedule schedule, DateTimeOffset due, DateTimeOffset? next, bool run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var connection = await factory.OpenAsync(cancellationToken);
        var expansion = run ? await ExpandAsync(connection, schedule.TemplateId, schedule.Audience, schedule.RiskNotice, now, cancellationToken) : null;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE broadcast_schedules SET next_run_at_ms = @next, last_run_at_ms = @due WHERE id = @Id AND next_run_at_ms = @due",
            new { next = next?.ToUnixTimeMilliseconds(), due = due.ToUnixTimeMilliseconds(), schedule.Id },
            transaction,
            cancellationToken: cancellationToken)) == 1;
        string? broadcast = null;
        if (claimed && expansion is not null)
        {
            broadcast = await CreateAsync(connection, transaction, new BroadcastOrder(schedule.TemplateId, schedule.Audience, schedule.RiskNotice, now, $"schedule:{schedule.Name}", $"schedule:{schedule.Id}:{due.ToUnixTimeMilliseconds()}"), expansion, now, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE broadcast_schedules SET last_broadcast_id = @broadcast WHERE id = @Id", new { broadcast, schedule.Id }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return (claimed, broadcast);
    }

    /// <summary>What an audience can be chosen by, as the directory holds it now: its tiers and the topics clients subscribe to, with how many clients each.</summary>
    public async Task<AudienceChoices> AudienceChoicesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var tiers = await connection.QueryAsync<(string Name, long Clients)>(new CommandDefinition(
            "SELECT tier, COUNT(*) FROM clients GROUP BY tier ORDER BY tier", cancellationToken: cancellationToken));
        var topics = await connection.QueryAsync<(string Name, long Clients)>(new CommandDefinition(
            "SELECT topic, COUNT(*) FROM client_subscriptions GROUP BY topic ORDER BY topic", cancellationToken: cancellationToken));
        var clients = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM clients", cancellationToken: cancellationToken));
        return new AudienceChoices(
            (int)clients,
            [.. tiers.Select(t => new AudienceChoice(t.Name, (int)t.Clients))],
            [.. topics.Select(t => new AudienceChoice(t.Name, (int)t.Clients))],
            backOffice is null ? null : await AskBackOfficeAsync(() => backOffice.HeldStocksAsync(cancellationToken), cancellationToken),
            backOffice is null ? null : (await AskBackOfficeAsync(() => backOffice.WithoutBankLinkAsync(cancellationToken), cancellationToken)).Count);
    }

    /// <summary>Reads everything a broadcast needs, outside any transaction (the back office is another system); null for an unknown template.</summary>
    private async Task<Expansion?> ExpandAsync(DbConnection connection, string templateId, Audience audience, bool riskNotice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var template = await connection.QuerySingleOrDefaultAsync<(string Channel, string BodyZh, string? BodyEn, string? SubjectZh, string? SubjectEn)?>(new CommandDefinition(
            "SELECT channel, body_zh, body_en, subject_zh, subject_en FROM broadcast_templates WHERE id = @templateId", new { templateId }, cancellationToken: cancellationToken));
        if (template is not { } t)
        {
            return null;
        }

        if (audience.NeedsBackOffice && backOffice is null)
        {
            throw new InvalidOperationException("This audience (holding, noBankLink) needs a back office, and none is configured (BackOffice:Provider).");
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, options.Zone()).DateTime);
        IReadOnlyList<AudienceMember> members = await MembersAsync(connection, audience, today, cancellationToken);
        if (audience.Holding is { } code)
        {
            var holders = (await AskBackOfficeAsync(() => backOffice!.HoldersAsync(code, cancellationToken), cancellationToken)).ToHashSet(StringComparer.Ordinal);
            members = [.. members.Where(m => holders.Contains(m.Phone))];
        }

        if (audience.NoBankLink)
        {
            var unbound = (await AskBackOfficeAsync(() => backOffice!.WithoutBankLinkAsync(cancellationToken), cancellationToken)).ToHashSet(StringComparer.Ordinal);
            members = [.. members.Where(m => unbound.Contains(m.Phone))];
        }

        // The channel's own opt-outs: E.164 numbers for SMS, bare lower-case addresses for e-mail.
        var optOuts = t.Channel == MessageChannel.Email ? "SELECT address FROM email_opt_outs" : "SELECT number FROM sms_opt_outs";
        var optedOut = (await connection.QueryAsync<string>(new CommandDefinition(optOuts, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        var content = new BroadcastContent(
            t.Channel,
            MessageTemplate.Parse(t.BodyZh).Template!,
            t.BodyEn is null ? null : MessageTemplate.Parse(t.BodyEn).Template,
            t.SubjectZh is null ? null : MessageTemplate.Parse(t.SubjectZh).Template,
            t.SubjectEn is null ? null : MessageTemplate.Parse(t.SubjectEn).Template);
        var usesHoldings = new[] { content.Zh, content.En, content.SubjectZh, content.SubjectEn }.Any(x => x?.Uses.Contains("holdings") == true);
        if (usesHoldings && backOffice is null)
        {
            throw new InvalidOperationException("This template uses {{holdings}}, which needs a back office, and none is configured (BackOffice:Provider).");
        }

        var holdings = usesHoldings && members.Count > 0
            ? await AskBackOfficeAsync(() => backOffice!.PositionsByClientAsync([.. members.Select(m => m.Phone)], cancellationToken), cancellationToken)
            : null;
        var (messages, skipped) = BroadcastExpansion.Expand(members, content, optedOut, riskNotice, today, holdings);
        return new Expansion(members.Count, t.Channel, messages, skipped);
    }

    private async Task<IReadOnlyList<AudienceMember>> MembersAsync(DbConnection connection, Audience audience, DateOnly today, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        if (audience.Tiers is { Count: > 0 })
        {
            where.Add(factory.Dialect.InList("c.tier", "tiers"));
        }

        if (!string.IsNullOrWhiteSpace(audience.Subscription))
        {
            where.Add("EXISTS (SELECT 1 FROM client_subscriptions s WHERE s.phone = c.phone AND s.topic = @topic)");
        }

        if (audience.BirthdayToday)
        {
            where.Add("EXISTS (SELECT 1 FROM client_birthdays b WHERE b.phone = c.phone AND substr(b.birthday, 6, 5) = @monthDay)");
        }

        var sql = $"""
            SELECT c.phone AS Phone, c.name AS Name, c.tier AS Tier, c.account_masked AS AccountMasked, c.language AS Language, a.name AS Manager, c.email AS Email
            FROM clients c LEFT JOIN agents a ON a.extension = c.manager_extension
            {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))}
            ORDER BY c.phone
            """;
        return [.. await connection.QueryAsync<AudienceMember>(new CommandDefinition(
            sql,
            new { tiers = audience.Tiers?.ToArray() ?? [], topic = audience.Subscription, monthDay = today.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
            cancellationToken: cancellationToken))];
    }

    private static async Task<IReadOnlyList<BroadcastView>> ViewsAsync(DbConnection connection, string filter, object parameters, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<(string Id, string TemplateId, string TemplateName, string Audience, long Risk, string RequestedBy, long CreatedAt, long StartsAt, long Size, long Queued, string Skipped)>(new CommandDefinition(
            $"""
            SELECT b.id, b.template_id, t.name, b.audience, b.risk_notice, b.requested_by, b.created_at_ms, b.starts_at_ms, b.audience_size, b.queued, b.skipped
            FROM broadcasts b JOIN broadcast_templates t ON t.id = b.template_id {filter}
            """,
            parameters,
            cancellationToken: cancellationToken))).ToList();
        var views = new List<BroadcastView>(rows.Count);
        foreach (var r in rows)
        {
            var progress = (await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
                "SELECT m.status, COUNT(*) FROM broadcast_messages bm JOIN messages m ON m.id = bm.message_id WHERE bm.broadcast_id = @id GROUP BY m.status",
                new { id = r.Id },
                cancellationToken: cancellationToken))).ToDictionary(p => p.Status, p => (int)p.Count);
            foreach (var status in new[] { MessageStatus.Queued, MessageStatus.Sent, MessageStatus.Delivered, MessageStatus.Failed })
            {
                progress.TryAdd(status, 0);
            }

            views.Add(new BroadcastView(
                r.Id, r.TemplateId, r.TemplateName, JsonSerializer.Deserialize<Audience>(r.Audience, _json)!, r.Risk != 0, r.RequestedBy,
                DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.StartsAt), (int)r.Size, (int)r.Queued,
                JsonSerializer.Deserialize<Dictionary<string, int>>(r.Skipped, _json)!, progress));
        }

        return views;
    }

    private static async Task<IReadOnlyList<BroadcastSchedule>> SchedulesAsync(DbConnection connection, DbTransaction? transaction, string filter, object? parameters, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Id, string Name, string Cron, long Trading, string TemplateId, string Audience, long Risk, long? Next, long? Last, string? LastBroadcast)>(new CommandDefinition(
            $"SELECT id, name, cron, trading_days_only, template_id, audience, risk_notice, next_run_at_ms, last_run_at_ms, last_broadcast_id FROM broadcast_schedules {filter} ORDER BY name",
            parameters,
            transaction,
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new BroadcastSchedule(
            r.Id, r.Name, r.Cron, r.Trading != 0, r.TemplateId, JsonSerializer.Deserialize<Audience>(r.Audience, _json)!, r.Risk != 0,
            r.Next is { } n ? DateTimeOffset.FromUnixTimeMilliseconds(n) : null, r.Last is { } l ? DateTimeOffset.FromUnixTimeMilliseconds(l) : null, r.LastBroadcast))];
    }

    /// <summary>
    /// One question to the back office (the brokerage's counter system): any failure of it, other than the caller
    /// giving up, becomes a <see cref="BackOfficeUnavailableException"/>, so the endpoints can tell it from a failure
    /// of our own database and answer 503 with the reason instead of a bare 500. Nothing is written before it is asked.
    /// </summary>
    private static async Task<T> AskBackOfficeAsync<T>(Func<Task<T>> ask, CancellationToken cancellationToken)
    {
        try
        {
            return await ask();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new BackOfficeUnavailableException(e);
        }
    }
}
