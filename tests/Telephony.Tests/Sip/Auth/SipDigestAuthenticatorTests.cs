using System.Buffers.Text;
using CallCenter.Telephony.Sip.Auth;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Sip.Auth;

public sealed class SipDigestAuthenticatorTests
{
    private const string Realm = "callcenter";
    private static readonly TimeSpan _nonceLifetime = TimeSpan.FromSeconds(300);

    private ManualTimeProvider _time = null!;
    private InMemorySipCredentialStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider();
        _store = new InMemorySipCredentialStore();
        _store.SetPassword("1001", Realm, "demo-1001");
    }

    private SipDigestAuthenticator Create(params SipDigestAlgorithm[] algorithms) =>
        new(_store, Realm, algorithms.Length == 0 ? [SipDigestAlgorithm.Sha256, SipDigestAlgorithm.Md5] : algorithms, _nonceLifetime);

    private async Task<SipResponse> ChallengeAsync(SipDigestAuthenticator authenticator, SipRequest request)
    {
        var result = await authenticator.AuthenticateAsync(request, _time.GetUtcNow());
        Assert.That(result.IsAuthenticated, Is.False);
        return result.Response!;
    }

    [Test]
    public async Task RequestWithoutAuthorizationGetsOneChallengePerAlgorithmInConfiguredOrder()
    {
        var response = await ChallengeAsync(Create(SipDigestAlgorithm.Sha256, SipDigestAlgorithm.Md5), DigestTestClient.Register("1001"));

        var challenges = DigestTestClient.Challenges(response).Select(DigestTestClient.ParseChallenge).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(401));
            Assert.That(challenges.Select(c => c["algorithm"]), Is.EqualTo(new[] { "SHA-256", "MD5" }));
            Assert.That(challenges.Select(c => c["realm"]), Is.All.EqualTo(Realm));
            Assert.That(challenges.Select(c => c["qop"]), Is.All.EqualTo("auth"));
            Assert.That(challenges.Select(c => c["nonce"]), Is.All.Not.Empty);
            Assert.That(challenges.Select(c => c.ContainsKey("opaque")), Is.All.True);
            Assert.That(challenges.Select(c => c.ContainsKey("stale")), Is.All.False);
            Assert.That(response.To!.Tag, Is.Not.Null);
            Assert.That(response.CallId, Is.EqualTo("reg-call-1"));
        });
    }

    [Test]
    public async Task ChallengeOrderFollowsTheConfiguration()
    {
        var response = await ChallengeAsync(Create(SipDigestAlgorithm.Md5, SipDigestAlgorithm.Sha256), DigestTestClient.Register("1001"));

        var algorithms = DigestTestClient.Challenges(response).Select(v => DigestTestClient.ParseChallenge(v)["algorithm"]);
        Assert.That(algorithms, Is.EqualTo(new[] { "MD5", "SHA-256" }));
    }

    [TestCase("MD5")]
    [TestCase("SHA-256")]
    public async Task ChallengeAndCorrectAnswerAuthenticate(string algorithm)
    {
        var authenticator = Create();
        var request = DigestTestClient.Register("1001");
        var challenge = await ChallengeAsync(authenticator, request);

        var retry = DigestTestClient.Register("1001", cseq: 2);
        retry.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, retry, algorithm, "1001", "demo-1001"));
        var result = await authenticator.AuthenticateAsync(retry, _time.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(result.IsAuthenticated, Is.True);
            Assert.That(result.Username, Is.EqualTo("1001"));
            Assert.That(result.Algorithm, Is.EqualTo(algorithm == "MD5" ? SipDigestAlgorithm.Md5 : SipDigestAlgorithm.Sha256));
            Assert.That(result.Response, Is.Null);
        });
    }

    [Test]
    public async Task WrongPasswordIsChallengedAgain()
    {
        var authenticator = Create();
        var challenge = await ChallengeAsync(authenticator, DigestTestClient.Register("1001"));

        var retry = DigestTestClient.Register("1001", cseq: 2);
        retry.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, retry, "MD5", "1001", "wrong"));
        var result = await authenticator.AuthenticateAsync(retry, _time.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(result.IsAuthenticated, Is.False);
            Assert.That(result.Failure, Is.EqualTo(SipAuthFailure.InvalidCredentials));
            Assert.That(result.AttemptedUsername, Is.EqualTo("1001"), "the guessing limits count the extension tried");
            Assert.That(result.Response!.StatusCode, Is.EqualTo(401));
        });
    }

    [Test]
    public async Task UnknownUserGetsTheSameAnswerAsAWrongPassword()
    {
        var authenticator = Create();
        var challenge = await ChallengeAsync(authenticator, DigestTestClient.Register("1001"));
        var oldNonce = DigestTestClient.ParseChallenge(DigestTestClient.Challenges(challenge)[0])["nonce"];

        var wrongPassword = DigestTestClient.Register("1001", cseq: 2);
        wrongPassword.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, wrongPassword, "MD5", "1001", "wrong"));
        var unknownUser = DigestTestClient.Register("9999", cseq: 2);
        unknownUser.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, unknownUser, "MD5", "9999", "whatever"));

        var a = (await authenticator.AuthenticateAsync(wrongPassword, _time.GetUtcNow())).Response!;
        var b = (await authenticator.AuthenticateAsync(unknownUser, _time.GetUtcNow())).Response!;

        static object Shape(SipResponse r) => new
        {
            r.StatusCode,
            r.ReasonPhrase,
            Headers = string.Join("|", r.Headers.Select(h => h.Name)),
            Parameters = string.Join("|", DigestTestClient.Challenges(r).Select(v => string.Join(",", DigestTestClient.ParseChallenge(v).Keys.Order()))),
            Algorithms = string.Join("|", DigestTestClient.Challenges(r).Select(v => DigestTestClient.ParseChallenge(v)["algorithm"])),
        };

        Assert.Multiple(() =>
        {
            Assert.That(Shape(b), Is.EqualTo(Shape(a)));
            Assert.That(a.StatusCode, Is.EqualTo(401));
            Assert.That(DigestTestClient.ParseChallenge(DigestTestClient.Challenges(a)[0])["nonce"], Is.Not.EqualTo(oldNonce));
            Assert.That(DigestTestClient.ParseChallenge(DigestTestClient.Challenges(b)[0])["nonce"], Is.Not.EqualTo(oldNonce));
        });
    }

    [Test]
    public async Task ExpiredNonceWithCorrectAnswerIsChallengedAsStale()
    {
        var authenticator = Create();
        var challenge = await ChallengeAsync(authenticator, DigestTestClient.Register("1001"));
        _time.Advance(_nonceLifetime + TimeSpan.FromSeconds(1));

        var retry = DigestTestClient.Register("1001", cseq: 2);
        retry.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, retry, "MD5", "1001", "demo-1001"));
        var result = await authenticator.AuthenticateAsync(retry, _time.GetUtcNow());

        var challenges = DigestTestClient.Challenges(result.Response!).Select(DigestTestClient.ParseChallenge).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Failure, Is.EqualTo(SipAuthFailure.StaleNonce));
            Assert.That(result.Response!.StatusCode, Is.EqualTo(401));
            Assert.That(challenges.Select(c => c.GetValueOrDefault("stale")), Is.All.EqualTo("true"));
        });
    }

    [Test]
    public async Task ExpiredNonceWithWrongPasswordIsNotMarkedStale()
    {
        var authenticator = Create();
        var challenge = await ChallengeAsync(authenticator, DigestTestClient.Register("1001"));
        _time.Advance(_nonceLifetime + TimeSpan.FromSeconds(1));

        var retry = DigestTestClient.Register("1001", cseq: 2);
        retry.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, retry, "MD5", "1001", "wrong"));
        var result = await authenticator.AuthenticateAsync(retry, _time.GetUtcNow());

        Assert.That(DigestTestClient.Challenges(result.Response!).Select(v => DigestTestClient.ParseChallenge(v).ContainsKey("stale")), Is.All.False);
    }

    [Test]
    public async Task ReplayedNonceCountIsRefusedAndAHigherOneAccepted()
    {
        var authenticator = Create();
        var challenge = await ChallengeAsync(authenticator, DigestTestClient.Register("1001"));

        async Task<SipAuthResult> SendAsync(uint cseq, uint nc)
        {
            var request = DigestTestClient.Register("1001", cseq: cseq);
            request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, request, "SHA-256", "1001", "demo-1001", nc: nc));
            return await authenticator.AuthenticateAsync(request, _time.GetUtcNow());
        }

        var first = await SendAsync(2, 1);
        var replay = await SendAsync(3, 1);
        var next = await SendAsync(4, 2);
        var backwards = await SendAsync(5, 1);

        Assert.Multiple(() =>
        {
            Assert.That(first.IsAuthenticated, Is.True);
            Assert.That(replay.IsAuthenticated, Is.False);
            Assert.That(replay.Failure, Is.EqualTo(SipAuthFailure.Replayed));
            Assert.That(replay.Response!.StatusCode, Is.EqualTo(401));
            Assert.That(next.IsAuthenticated, Is.True);
            Assert.That(backwards.IsAuthenticated, Is.False);
        });
    }

    [Test]
    public async Task NonceWithoutQopIsAcceptedOnlyOnce()
    {
        var authenticator = Create();
        var challenge = DigestTestClient.ParseChallenge(DigestTestClient.Challenges(await ChallengeAsync(authenticator, DigestTestClient.Register("1001")))[1]);

        async Task<SipAuthResult> SendAsync(uint cseq)
        {
            var request = DigestTestClient.Register("1001", cseq: cseq);
            request.Headers.Add(
                SipHeaderNames.Authorization,
                DigestTestClient.Answer(Realm, challenge["nonce"], challenge["opaque"], request, "MD5", "1001", "demo-1001", withQop: false));
            return await authenticator.AuthenticateAsync(request, _time.GetUtcNow());
        }

        Assert.That((await SendAsync(2)).IsAuthenticated, Is.True);
        Assert.That((await SendAsync(3)).IsAuthenticated, Is.False);
    }

    [Test]
    public async Task ForgedNonceIsRefused()
    {
        var authenticator = Create();
        var challenge = DigestTestClient.ParseChallenge(DigestTestClient.Challenges(await ChallengeAsync(authenticator, DigestTestClient.Register("1001")))[0]);

        // Shift the timestamp by a second: a well-formed nonce whose MAC no longer fits.
        var raw = Base64Url.DecodeFromChars(challenge["nonce"]);
        raw[6] ^= 0x03;
        var forged = Base64Url.EncodeToString(raw);

        var request = DigestTestClient.Register("1001", cseq: 2);
        request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(Realm, forged, challenge["opaque"], request, "SHA-256", "1001", "demo-1001"));
        var result = await authenticator.AuthenticateAsync(request, _time.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(result.IsAuthenticated, Is.False);
            Assert.That(result.Failure, Is.EqualTo(SipAuthFailure.InvalidNonce));
            Assert.That(result.Response!.StatusCode, Is.EqualTo(401));
        });
    }

    [Test]
    public async Task NonceFromAnotherServerSecretIsRefused()
    {
        var other = new SipDigestAuthenticator(_store, Realm, [SipDigestAlgorithm.Md5], _nonceLifetime);
        var challenge = await ChallengeAsync(other, DigestTestClient.Register("1001"));

        var request = DigestTestClient.Register("1001", cseq: 2);
        request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, request, "MD5", "1001", "demo-1001"));
        var result = await Create().AuthenticateAsync(request, _time.GetUtcNow());

        Assert.That(result.Failure, Is.EqualTo(SipAuthFailure.InvalidNonce));
    }

    [Test]
    public async Task NonceFromAnotherNodeWithTheSameSecretIsAccepted()
    {
        // Sip:NonceSecret: the nodes behind one proxy verify each other's nonces (issue 19).
        var secret = "a-cluster-nonce-secret-of-enough-length"u8.ToArray();
        var node1 = new SipDigestAuthenticator(_store, Realm, [SipDigestAlgorithm.Md5], _nonceLifetime, secret);
        var node2 = new SipDigestAuthenticator(_store, Realm, [SipDigestAlgorithm.Md5], _nonceLifetime, secret);
        var challenge = await ChallengeAsync(node1, DigestTestClient.Register("1001"));

        var request = DigestTestClient.Register("1001", cseq: 2);
        request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, request, "MD5", "1001", "demo-1001"));
        var result = await node2.AuthenticateAsync(request, _time.GetUtcNow());

        Assert.That(result.IsAuthenticated, Is.True, result.Failure.ToString());
    }

    [Test]
    public async Task ARequestAcceptedAtOneNodeAndReplayedAtAnotherIsRefusedOnlyWithSharedCounts()
    {
        // One nonce secret for every node (issue 19): without shared counts node 2 accepts a REGISTER sniffed on its
        // way to node 1, whole, with the attacker's Contact; with the cluster's counts it answers stale=true.
        var secret = "a-cluster-nonce-secret-of-enough-length"u8.ToArray();
        var shared = new InMemorySharedCounts();
        SipDigestAuthenticator Node(ISharedNonceCounts? counts) =>
            new(_store, Realm, [SipDigestAlgorithm.Md5], _nonceLifetime, secret) { SharedCounts = counts };
        var (node1, node2, lonely1, lonely2) = (Node(shared), Node(shared), Node(null), Node(null));

        async Task<(SipAuthResult First, SipAuthResult Replay)> SniffAndReplayAsync(SipDigestAuthenticator first, SipDigestAuthenticator second)
        {
            var challenge = await ChallengeAsync(first, DigestTestClient.Register("1001"));
            var request = DigestTestClient.Register("1001", cseq: 2);
            request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, request, "MD5", "1001", "demo-1001"));
            return (await first.AuthenticateAsync(request, _time.GetUtcNow()), await second.AuthenticateAsync(request, _time.GetUtcNow()));
        }

        var withShared = await SniffAndReplayAsync(node1, node2);
        var without = await SniffAndReplayAsync(lonely1, lonely2);
        var failing = Node(new FailingSharedCounts());
        var (_, whenAway) = await SniffAndReplayAsync(Node(null), failing);

        Assert.Multiple(() =>
        {
            Assert.That(withShared.First.IsAuthenticated, Is.True);
            Assert.That(withShared.Replay.IsAuthenticated, Is.False);
            Assert.That(withShared.Replay.Failure, Is.EqualTo(SipAuthFailure.Replayed));
            Assert.That(without.Replay.IsAuthenticated, Is.True, "the attack this closes: per-node counts take the replay");
            Assert.That(whenAway.IsAuthenticated, Is.False, "a count the cluster cannot check is not taken");
        });
    }

    private sealed class InMemorySharedCounts : ISharedNonceCounts
    {
        private readonly Dictionary<string, uint> _highest = [];

        public Task<bool> TryUseAsync(string nonce, uint count, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
        {
            lock (_highest)
            {
                if (_highest.TryGetValue(nonce, out var seen) && seen >= count)
                {
                    return Task.FromResult(false);
                }

                _highest[nonce] = count;
                return Task.FromResult(true);
            }
        }
    }

    private sealed class FailingSharedCounts : ISharedNonceCounts
    {
        public Task<bool> TryUseAsync(string nonce, uint count, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Redis is away");
    }

    [Test]
    public async Task NonceOfAnotherRealmWithTheSameSecretIsRefused()
    {
        // The MAC covers the realm: a nonce minted for one realm is no use in another.
        var secret = "a-cluster-nonce-secret-of-enough-length"u8.ToArray();
        _store.SetPassword("1001", "elsewhere", "demo-1001");
        var elsewhere = new SipDigestAuthenticator(_store, "elsewhere", [SipDigestAlgorithm.Md5], _nonceLifetime, secret);
        var here = new SipDigestAuthenticator(_store, Realm, [SipDigestAlgorithm.Md5], _nonceLifetime, secret);
        var challenge = await ChallengeAsync(elsewhere, DigestTestClient.Register("1001"));
        var nonce = DigestTestClient.ParseChallenge(DigestTestClient.Challenges(challenge)[0])["nonce"];

        // That nonce answered correctly for this realm (the opaque is the secret's, the same in both).
        var opaque = DigestTestClient.ParseChallenge(DigestTestClient.Challenges(challenge)[0])["opaque"];
        var request = DigestTestClient.Register("1001", cseq: 2);
        request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(Realm, nonce, opaque, request, "MD5", "1001", "demo-1001"));
        var result = await here.AuthenticateAsync(request, _time.GetUtcNow());

        Assert.That(result.Failure, Is.EqualTo(SipAuthFailure.InvalidNonce));
    }

    [Test]
    public async Task UnknownSchemeIsTreatedAsNoCredentials()
    {
        // RFC 4475 3.3.7 (regaut01): a REGISTER with an Authorization of an unknown scheme gets a 401 challenge.
        var request = DigestTestClient.Register("1001");
        request.Headers.Add(SipHeaderNames.Authorization, "NoOneKnowsThisScheme opaque-data=here");

        var result = await Create().AuthenticateAsync(request, _time.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(result.Failure, Is.EqualTo(SipAuthFailure.NoCredentials));
            Assert.That(result.Response!.StatusCode, Is.EqualTo(401));
            Assert.That(DigestTestClient.Challenges(result.Response), Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task AnswerWithAnAlgorithmNotOfferedIsRefused()
    {
        var authenticator = Create(SipDigestAlgorithm.Sha256);
        var challenge = DigestTestClient.ParseChallenge(DigestTestClient.Challenges(await ChallengeAsync(authenticator, DigestTestClient.Register("1001")))[0]);

        var request = DigestTestClient.Register("1001", cseq: 2);
        request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(Realm, challenge["nonce"], challenge["opaque"], request, "MD5", "1001", "demo-1001"));
        var result = await authenticator.AuthenticateAsync(request, _time.GetUtcNow());

        Assert.That(result.IsAuthenticated, Is.False);
    }

    [Test]
    public async Task DigestUriNamingAnotherHostGetsBadRequest()
    {
        var authenticator = Create();
        var challenge = await ChallengeAsync(authenticator, DigestTestClient.Register("1001"));

        var request = DigestTestClient.Register("1001", cseq: 2);
        request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, request, "MD5", "1001", "demo-1001", digestUri: "sip:elsewhere.example.org"));
        var result = await authenticator.AuthenticateAsync(request, _time.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(result.IsAuthenticated, Is.False);
            Assert.That(result.Failure, Is.EqualTo(SipAuthFailure.UriMismatch));
            Assert.That(result.Response!.StatusCode, Is.EqualTo(400));
        });
    }

    [TestCase("sip:pbx.example.com:5060")]
    [TestCase("sip:PBX.Example.com;transport=udp")]
    public async Task DigestUriComparesLooselyWithTheRequestUri(string digestUri)
    {
        var authenticator = Create();
        var challenge = await ChallengeAsync(authenticator, DigestTestClient.Register("1001"));

        var request = DigestTestClient.Register("1001", cseq: 2);
        request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, request, "MD5", "1001", "demo-1001", digestUri: digestUri));
        var result = await authenticator.AuthenticateAsync(request, _time.GetUtcNow());

        Assert.That(result.IsAuthenticated, Is.True);
    }

    [Test]
    public async Task CredentialStoredForAnotherRealmDoesNotVerify()
    {
        _store.SetPassword("1002", "old-realm", "demo-1002");
        var authenticator = Create();
        var challenge = await ChallengeAsync(authenticator, DigestTestClient.Register("1002"));

        var request = DigestTestClient.Register("1002", cseq: 2);
        request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, request, "MD5", "1002", "demo-1002"));
        var result = await authenticator.AuthenticateAsync(request, _time.GetUtcNow());

        Assert.That(result.Failure, Is.EqualTo(SipAuthFailure.InvalidCredentials));
    }

    [Test]
    public async Task NonceTableStaysBoundedAndAForgottenNonceIsNotReplayable()
    {
        var authenticator = new SipDigestAuthenticator(_store, Realm, [SipDigestAlgorithm.Md5], _nonceLifetime, nonceTableCapacity: 3);
        var answered = new List<SipResponse>();
        for (uint i = 0; i < 5; i++)
        {
            var challenge = await ChallengeAsync(authenticator, DigestTestClient.Register("1001"));
            answered.Add(challenge);
            var request = DigestTestClient.Register("1001", cseq: i + 2);
            request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, request, "MD5", "1001", "demo-1001"));
            Assert.That((await authenticator.AuthenticateAsync(request, _time.GetUtcNow())).IsAuthenticated, Is.True);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var replay = DigestTestClient.Register("1001", cseq: 20);
        replay.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(answered[0], replay, "MD5", "1001", "demo-1001", nc: 1));
        var result = await authenticator.AuthenticateAsync(replay, _time.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(authenticator.TrackedNonceCount, Is.LessThanOrEqualTo(3));
            Assert.That(result.IsAuthenticated, Is.False);
        });
    }

    [Test]
    public async Task NonceTableForgetsExpiredNonces()
    {
        var authenticator = Create(SipDigestAlgorithm.Md5);
        var challenge = await ChallengeAsync(authenticator, DigestTestClient.Register("1001"));
        var request = DigestTestClient.Register("1001", cseq: 2);
        request.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(challenge, request, "MD5", "1001", "demo-1001"));
        Assert.That((await authenticator.AuthenticateAsync(request, _time.GetUtcNow())).IsAuthenticated, Is.True);
        Assert.That(authenticator.TrackedNonceCount, Is.EqualTo(1));

        _time.Advance(_nonceLifetime + TimeSpan.FromMinutes(1));
        var fresh = await ChallengeAsync(authenticator, DigestTestClient.Register("1001"));
        var next = DigestTestClient.Register("1001", cseq: 3);
        next.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(fresh, next, "MD5", "1001", "demo-1001"));
        Assert.That((await authenticator.AuthenticateAsync(next, _time.GetUtcNow())).IsAuthenticated, Is.True);

        Assert.That(authenticator.TrackedNonceCount, Is.EqualTo(1));
    }
}
