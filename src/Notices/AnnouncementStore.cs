using System.Buffers.Binary;
using CallCenter.Contracts.Notices;
using CallCenter.Data;
using Dapper;

namespace CallCenter.Notices;

/// <summary>
/// The <c>announcements</c> table (migration 0020): the one writer and reader of announcements and
/// their audio, on SQLite and PostgreSQL alike. Audio is kept as 8 kHz mono 16-bit little-endian PCM.
/// </summary>
public sealed class AnnouncementStore(DbConnectionFactory factory)
{
    private const string Columns =
        "id AS Id, title AS Title, language AS Language, source AS Source, text AS Text, samples AS Samples, " +
        "starts_at_ms AS StartsAtMs, ends_at_ms AS EndsAtMs, created_at_ms AS CreatedAtMs, created_by AS CreatedBy";

    /// <summary>Stores one; its id. With <paramref name="seedKey"/> a second store of the same key stores nothing and answers null.</summary>
    internal async Task<long?> CreateAsync(
        string title, string language, string source, string? text, short[] samples, DateTimeOffset startsAt, DateTimeOffset endsAt,
        DateTimeOffset now, string createdBy, string? seedKey, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO announcements (title, language, source, text, audio, samples, starts_at_ms, ends_at_ms, created_at_ms, created_by, seed_key)
            VALUES (@title, @language, @source, @text, @audio, @samples, @starts, @ends, @now, @createdBy, @seedKey)
            ON CONFLICT DO NOTHING RETURNING id
            """,
            new
            {
                title,
                language,
                source,
                text,
                audio = ToBytes(samples),
                samples = (long)samples.Length,
                starts = startsAt.ToUnixTimeMilliseconds(),
                ends = endsAt.ToUnixTimeMilliseconds(),
                now = now.ToUnixTimeMilliseconds(),
                createdBy,
                seedKey,
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>Every announcement not deleted, the latest start first.</summary>
    public async Task<IReadOnlyList<Announcement>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM announcements WHERE deleted_at_ms IS NULL ORDER BY starts_at_ms DESC, id DESC", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAnnouncement())];
    }

    public async Task<Announcement?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM announcements WHERE id = @id AND deleted_at_ms IS NULL", new { id }, cancellationToken: cancellationToken));
        return row?.ToAnnouncement();
    }

    /// <summary>Marks it deleted (it no longer plays or lists); false when there is no such announcement.</summary>
    public async Task<bool> DeleteAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE announcements SET deleted_at_ms = @now WHERE id = @id AND deleted_at_ms IS NULL",
            new { id, now = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The announcements playing at <paramref name="now"/> in <paramref name="language"/>, newest start first.</summary>
    public async Task<IReadOnlyList<CurrentAnnouncement>> CurrentAsync(string language, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Title, long Samples)>(new CommandDefinition(
            """
            SELECT id, title, samples FROM announcements
            WHERE language = @language AND deleted_at_ms IS NULL AND starts_at_ms <= @now AND ends_at_ms > @now
            ORDER BY starts_at_ms DESC, id DESC LIMIT @limit
            """,
            new { language, now = now.ToUnixTimeMilliseconds(), limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new CurrentAnnouncement(r.Id, r.Title, language, Duration(r.Samples)))];
    }

    /// <summary>An announcement's audio (deleted ones too: a call may be playing it); null when there is no such id.</summary>
    public async Task<short[]?> AudioAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var bytes = await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "SELECT audio FROM announcements WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return bytes is null ? null : FromBytes(bytes);
    }

    private static TimeSpan Duration(long samples) => TimeSpan.FromSeconds(samples / (double)Audio.TelephonyAudio.SampleRate);

    private static byte[] ToBytes(short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i]);
        }

        return bytes;
    }

    private static short[] FromBytes(byte[] bytes)
    {
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i * 2));
        }

        return samples;
    }

    private sealed record Row(long Id, string Title, string Language, string Source, string? Text, long Samples, long StartsAtMs, long EndsAtMs, long CreatedAtMs, string CreatedBy)
    {
        public Announcement ToAnnouncement() => new(
            Id, Title, Language, Source, Text, Duration(Samples),
            DateTimeOffset.FromUnixTimeMilliseconds(StartsAtMs), DateTimeOffset.FromUnixTimeMilliseconds(EndsAtMs),
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs), CreatedBy);
    }
}
