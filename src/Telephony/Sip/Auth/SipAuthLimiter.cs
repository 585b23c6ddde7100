using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CallCenter.Telephony.Sip.Auth;

/// <summary>Why <see cref="SipAuthLimiter.RecordFailure"/> banned a source.</summary>
public enum SipAuthBan
{
    /// <summary>Not banned.</summary>
    None,

    /// <summary>The source sent more wrong passwords than <see cref="SipAuthLimits.FailuresPerSource"/> allows.</summary>
    SourceLimit,

    /// <summary>The extension it guessed is under attack from many addresses (<see cref="SipAuthLimits.FailuresPerExtension"/>), and this one never registered it.</summary>
    ExtensionLimit,
}

/// <summary>
/// Slows digest guessing down (issue 12): wrong passwords are limited per source address and
/// per extension, as Kamailio's pike and Asterisk's per-address limits do, and a source over the
/// limit is banned, its requests dropped, for <see cref="SipAuthLimits.Ban"/>. The per-extension
/// limit counts only wrong passwords from addresses that never registered that extension, and
/// bans only those: an outsider guessing 1001's password from many addresses cannot lock the real
/// 1001 out, since its phone's address either registered before or never sends a wrong password.
/// <para>
/// Counts are leaky buckets (each failure adds one, the level drains at the limit per window), so
/// memory per key is constant. Keys are bounded by <see cref="SipAuthLimits.MaxTracked"/>: when a
/// table is full, idle entries go first, then the oldest, bans last, so spraying source addresses
/// or extension names costs the attacker, not the platform. IPv6 sources are counted per /64 (RFC
/// 4291 2.5.4: one host or LAN owns it, and may take a fresh address in it for every request).
/// </para>
/// No clock and no I/O: every call takes <c>now</c>. Thread-safe (one lock; REGISTERs are rare).
/// </summary>
public sealed class SipAuthLimiter
{
    /// <summary>Longer digest usernames are counted by their first this many characters.</summary>
    public const int MaxExtensionLength = 64;

    private readonly SipAuthLimits _limits;
    private readonly Lock _gate = new();
    private readonly Dictionary<UInt128, SourceState> _sources = [];
    private readonly Dictionary<string, Bucket> _extensions = new(StringComparer.Ordinal);
    private readonly Dictionary<(UInt128 Source, string Extension), DateTimeOffset> _known = [];
    private long _failures;
    private long _bans;

    public SipAuthLimiter(SipAuthLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.FailuresPerSource, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.FailuresPerExtension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limits.Window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.Ban, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxTracked, 4);
        _limits = limits;
    }

    public SipAuthLimits Limits => _limits;

    /// <summary>Wrong passwords recorded since the start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Bans given since the start.</summary>
    public long Bans => Interlocked.Read(ref _bans);

    /// <summary>Source addresses (IPv6: /64 prefixes) remembered now; at most <see cref="SipAuthLimits.MaxTracked"/>.</summary>
    public int TrackedSources
    {
        get
        {
            lock (_gate)
            {
                return _sources.Count;
            }
        }
    }

    /// <summary>Extensions remembered now; at most <see cref="SipAuthLimits.MaxTracked"/>.</summary>
    public int TrackedExtensions
    {
        get
        {
            lock (_gate)
            {
                return _extensions.Count;
            }
        }
    }

    /// <summary>Sources banned at <paramref name="now"/>.</summary>
    public int BannedSources(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _sources.Values.Count(s => s.BannedUntil > now);
        }
    }

    /// <summary>Whether requests from <paramref name="source"/> are to be dropped at <paramref name="now"/>.</summary>
    public bool IsBanned(IPAddress source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_gate)
        {
            return _sources.TryGetValue(Key(source), out var state) && state.BannedUntil > now;
        }
    }

    /// <summary>
    /// A wrong password (or an unknown user, which must look the same) from <paramref name="source"/>
    /// for the digest username <paramref name="extension"/>. Returns why the source is banned from
    /// now on, or <see cref="SipAuthBan.None"/>.
    /// </summary>
    public SipAuthBan RecordFailure(IPAddress source, string? extension, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(source);
        var key = Key(source);
        var name = Normalize(extension);
        lock (_gate)
        {
            _failures++;
            var ban = SipAuthBan.None;
            ref var state = ref Entry(_sources, key, now, (s, now) => s.BannedUntil <= now && s.Failures.IsDrained(now, _limits.FailuresPerSource, _limits.Window), static s => (s.BannedUntil, s.Failures.Updated));
            if (state.Failures.Add(now, _limits.FailuresPerSource, _limits.Window) > _limits.FailuresPerSource)
            {
                ban = SipAuthBan.SourceLimit;
            }

            if (name is not null && !(_known.TryGetValue((key, name), out var knownUntil) && knownUntil > now))
            {
                ref var failures = ref Entry(_extensions, name, now, (b, now) => b.IsDrained(now, _limits.FailuresPerExtension, _limits.Window), static b => (DateTimeOffset.MinValue, b.Updated));
                if (failures.Add(now, _limits.FailuresPerExtension, _limits.Window) > _limits.FailuresPerExtension && ban == SipAuthBan.None)
                {
                    ban = SipAuthBan.ExtensionLimit;
                }
            }

            if (ban != SipAuthBan.None)
            {
                state.BannedUntil = now + _limits.Ban;
                _bans++;
            }

            return ban;
        }
    }

    /// <summary><paramref name="source"/> proved <paramref name="extension"/>'s password: it is that extension's own address for a while.</summary>
    public void RecordSuccess(IPAddress source, string extension, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Normalize(extension) is not { } name)
        {
            return;
        }

        lock (_gate)
        {
            Entry(_known, (Key(source), name), now, static (until, now) => until <= now, static until => (until, until)) = now + _limits.KnownFor;
        }
    }

    private static string? Normalize(string? extension) =>
        string.IsNullOrEmpty(extension) ? null : extension.Length > MaxExtensionLength ? extension[..MaxExtensionLength] : extension;

    /// <summary>
    /// The entry for <paramref name="key"/>, added when missing; a full table first drops its idle
    /// entries, then down to three quarters by <paramref name="order"/> (lowest first), so the
    /// sweep runs once per many insertions.
    /// </summary>
    private ref TValue Entry<TKey, TValue>(
        Dictionary<TKey, TValue> map,
        TKey key,
        DateTimeOffset now,
        Func<TValue, DateTimeOffset, bool> idle,
        Func<TValue, (DateTimeOffset, DateTimeOffset)> order)
        where TKey : notnull
    {
        if (map.Count >= _limits.MaxTracked && !map.ContainsKey(key))
        {
            foreach (var (candidate, value) in map)
            {
                if (idle(value, now))
                {
                    map.Remove(candidate);
                }
            }

            var keep = _limits.MaxTracked * 3 / 4;
            if (map.Count > keep)
            {
                foreach (var victim in map.OrderBy(p => order(p.Value)).Take(map.Count - keep).Select(p => p.Key).ToList())
                {
                    map.Remove(victim);
                }
            }
        }

        return ref CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _)!;
    }

    /// <summary>IPv4 (and IPv4-mapped IPv6) by address, IPv6 by its /64.</summary>
    private static UInt128 Key(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        address.TryWriteBytes(bytes, out _);
        return address.AddressFamily == AddressFamily.InterNetwork
            ? ((UInt128)0xFFFF << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes) & ~(UInt128)ulong.MaxValue;
    }

    private struct SourceState
    {
        public Bucket Failures;
        public DateTimeOffset BannedUntil;
    }

    /// <summary>A leaky bucket: each failure adds one; the level drains at <c>limit</c> per <c>window</c>.</summary>
    private struct Bucket
    {
        private double _level;

        public DateTimeOffset Updated { get; private set; }

        /// <summary>Drained to nothing by <paramref name="now"/> (a lone failure drains in a window / limit): safe to forget.</summary>
        public readonly bool IsDrained(DateTimeOffset now, int limit, TimeSpan window) => LevelAt(now, limit, window) <= 0;

        /// <summary>Drains the level to <paramref name="now"/>, adds one failure, returns the new level.</summary>
        public double Add(DateTimeOffset now, int limit, TimeSpan window)
        {
            _level = LevelAt(now, limit, window) + 1;
            Updated = now;
            return _level;
        }

        private readonly double LevelAt(DateTimeOffset now, int limit, TimeSpan window)
        {
            var elapsed = now <= Updated ? 0 : (now - Updated).TotalSeconds;
            return Math.Max(0, _level - (elapsed * limit / window.TotalSeconds));
        }
    }
}
