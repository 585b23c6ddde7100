using System.Net;
using CallCenter.Telephony.Sip.Auth;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Registrar;
using CallCenter.Telephony.Tests.Sip.Auth;
using CallCenter.Telephony.Transport;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Sip.Registrar;

public sealed class SipRegistrarTests
{
    private const string Realm = "callcenter";

    private static readonly SipRemote _phone = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("203.0.113.7"), 40000));

    private ManualTimeProvider _time = null!;
    private InMemoryRegistrationStore _store = null!;
    private InMemorySipCredentialStore _credentials = null!;
    private SipRegistrar _registrar = null!;
    private List<SipBindingChangedEventArgs> _events = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider();
        _store = new InMemoryRegistrationStore();
        _credentials = new InMemorySipCredentialStore();
        _credentials.SetPassword("1001", Realm, "demo-1001");
        var options = new SipRegistrarOptions { Realm = Realm };
        _registrar = new SipRegistrar(_store, options.CreateAuthenticator(_credentials), options);
        _events = [];
        _registrar.BindingChanged += (_, e) => _events.Add(e);
    }

    private static SipNameAddress Contact(string host, int? port = 5062, string user = "1001", string? expires = null, string? q = null)
    {
        var contact = new SipNameAddress { Uri = new SipUri { Scheme = "sip", User = user, Host = host, Port = port } };
        if (expires is not null)
        {
            contact.Parameters.Set("expires", expires);
        }

        if (q is not null)
        {
            contact.Parameters.Set("q", q);
        }

        return contact;
    }

    private static SipRequest Register(uint cseq = 1, string callId = "reg-call-1", uint? expires = null, string user = "1001", params SipNameAddress[] contacts)
    {
        var request = DigestTestClient.Register(user, cseq: cseq, callId: callId);
        request.Expires = expires;
        request.Contacts.AddRange(contacts);
        return request;
    }

    private ValueTask<SipResponse> SendAsync(SipRequest request, string user = "1001") =>
        _registrar.RegisterAsync(request, user, _phone, _time.GetUtcNow());

    private Task<IReadOnlyList<SipBinding>> ActiveAsync(string extension = "1001") =>
        _registrar.GetActiveBindingsAsync(extension, _time.GetUtcNow()).AsTask();

    private static int ExpiresOf(SipNameAddress contact) => int.Parse(contact.Parameters.Get("expires")!, System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public async Task RegisteringOneContactBindsItAndListsItInThe200()
    {
        var response = await SendAsync(Register(contacts: Contact("192.168.1.20")));

        var bindings = await ActiveAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(response.To!.Tag, Is.Not.Null);
            Assert.That(response.Contacts, Has.Count.EqualTo(1));
            Assert.That(response.Contacts[0].Uri.Host, Is.EqualTo("192.168.1.20"));
            Assert.That(response.Contacts[0].Uri.Port, Is.EqualTo(5062));
            Assert.That(ExpiresOf(response.Contacts[0]), Is.EqualTo(3600));
            Assert.That(response.Headers.Get(SipHeaderNames.Date), Is.EqualTo("Mon, 05 Jan 2026 09:30:00 GMT"));
            Assert.That(bindings, Has.Count.EqualTo(1));
            Assert.That(bindings[0].ContactKey, Is.EqualTo("sip:1001@192.168.1.20:5062"));
            Assert.That(bindings[0].ToSource(), Is.EqualTo(_phone));
            Assert.That(bindings[0].ExpiresAt, Is.EqualTo(_time.GetUtcNow().AddSeconds(3600)));
            Assert.That(_events.Select(e => (e.Change, e.IsRegistered)), Is.EqualTo(new[] { (SipBindingChange.Added, true) }));
        });
    }

    [Test]
    public async Task TwoContactsEachGetTheirOwnExpiry()
    {
        var response = await SendAsync(Register(expires: 600, contacts: [Contact("192.168.1.20", expires: "120"), Contact("10.0.0.5", port: null)]));

        var bindings = await ActiveAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(bindings.Select(b => b.ContactKey), Is.EquivalentTo(new[] { "sip:1001@192.168.1.20:5062", "sip:1001@10.0.0.5" }));
            Assert.That(response.Contacts.ToDictionary(c => c.Uri.Host, ExpiresOf), Is.EquivalentTo(new Dictionary<string, int> { ["192.168.1.20"] = 120, ["10.0.0.5"] = 600 }));
        });
    }

    [Test]
    public async Task RefreshExtendsTheBindingWithoutAddingAnother()
    {
        await SendAsync(Register(cseq: 1, contacts: Contact("192.168.1.20", expires: "300")));
        _time.Advance(TimeSpan.FromSeconds(200));

        var response = await SendAsync(Register(cseq: 2, contacts: Contact("192.168.1.20", expires: "300")));

        var bindings = await ActiveAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(bindings, Has.Count.EqualTo(1));
            Assert.That(bindings[0].ExpiresAt, Is.EqualTo(_time.GetUtcNow().AddSeconds(300)));
            Assert.That(bindings[0].CSeq, Is.EqualTo(2));
            Assert.That(_events.Select(e => e.Change), Is.EqualTo(new[] { SipBindingChange.Added, SipBindingChange.Refreshed }));
        });
    }

    [Test]
    public async Task BindingExpiresWhenTimeRunsOut()
    {
        await SendAsync(Register(contacts: Contact("192.168.1.20", expires: "120")));
        _time.Advance(TimeSpan.FromSeconds(119));
        Assert.That(await ActiveAsync(), Has.Count.EqualTo(1));

        _time.Advance(TimeSpan.FromSeconds(2));
        var active = await ActiveAsync();
        var purged = await _registrar.PurgeExpiredAsync(_time.GetUtcNow());

        Assert.Multiple(async () =>
        {
            Assert.That(active, Is.Empty);
            Assert.That(purged, Is.EqualTo(1));
            Assert.That(await _store.GetBindingsAsync("1001"), Is.Empty);
            Assert.That(_events[^1].Change, Is.EqualTo(SipBindingChange.Expired));
            Assert.That(_events[^1].IsRegistered, Is.False);
            Assert.That(_events[^1].Extension, Is.EqualTo("1001"));
        });
    }

    [Test]
    public async Task AClosedBrowserConnectionTakesOnlyTheBindingsMadeOverItAndNotOnesRefreshedOverANewOne()
    {
        var oldTab = new SipRemote(SipTransportProtocol.Ws, new IPEndPoint(IPAddress.Parse("10.0.0.7"), 51000));
        var newTab = new SipRemote(SipTransportProtocol.Ws, new IPEndPoint(IPAddress.Parse("10.0.0.7"), 51001));
        await _registrar.RegisterAsync(Register(cseq: 1, contacts: Contact("a1.invalid", port: null)), "1001", oldTab, _time.GetUtcNow());
        await _registrar.RegisterAsync(Register(cseq: 2, contacts: Contact("b2.invalid", port: null)), "1001", oldTab, _time.GetUtcNow());
        await SendAsync(Register(cseq: 3, contacts: Contact("192.168.1.20")));

        // The browser reconnected and refreshed its second contact over the new connection before the old one's close was noticed.
        await _registrar.RegisterAsync(Register(cseq: 4, contacts: Contact("b2.invalid", port: null)), "1001", newTab, _time.GetUtcNow());
        _events.Clear();

        var removed = await _registrar.RemoveConnectionBindingsAsync("1001", oldTab, _time.GetUtcNow());

        var left = await ActiveAsync();
        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.EqualTo(1));
            Assert.That(left.Select(b => b.ContactHost).Order(), Is.EqualTo(new[] { "192.168.1.20", "b2.invalid" }));
            Assert.That(_events.Select(e => (e.Change, e.Binding.ContactHost)), Is.EqualTo(new[] { (SipBindingChange.Removed, "a1.invalid") }));
            Assert.That(_events[0].IsRegistered, Is.True, "the desk phone and the new tab are still there");
        });

        Assert.That(await _registrar.RemoveConnectionBindingsAsync("1001", newTab, _time.GetUtcNow()), Is.EqualTo(1));
        Assert.That(await _registrar.RemoveConnectionBindingsAsync("1001", newTab, _time.GetUtcNow()), Is.Zero, "nothing twice");
        Assert.That((await ActiveAsync()).Select(b => b.ContactHost), Is.EqualTo(new[] { "192.168.1.20" }));
    }

    [Test]
    public async Task AtStartTheBrowserBindingsOfTheLastRunGoAndEveryOtherBindingStays()
    {
        var lastRunTab = new SipRemote(SipTransportProtocol.Ws, new IPEndPoint(IPAddress.Parse("10.0.0.7"), 51000));
        var otherAgentsTab = new SipRemote(SipTransportProtocol.Ws, new IPEndPoint(IPAddress.Parse("10.0.0.8"), 52000));
        _credentials.SetPassword("1002", Realm, "demo-1002");
        await _registrar.RegisterAsync(Register(cseq: 1, contacts: Contact("a1.invalid", port: null)), "1001", lastRunTab, _time.GetUtcNow());
        await SendAsync(Register(cseq: 2, contacts: Contact("192.168.1.20")));
        await _registrar.RegisterAsync(Register(cseq: 1, callId: "reg-1002", user: "1002", contacts: Contact("b2.invalid", port: null, user: "1002")), "1002", otherAgentsTab, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(2));
        var startedAt = _time.GetUtcNow();

        // A browser that reconnected at once to the new run and registered before the pass: its binding is of this run.
        _time.Advance(TimeSpan.FromSeconds(1));
        var newTab = new SipRemote(SipTransportProtocol.Ws, new IPEndPoint(IPAddress.Parse("10.0.0.8"), 52001));
        await _registrar.RegisterAsync(Register(cseq: 2, callId: "reg-1002", user: "1002", contacts: Contact("c3.invalid", port: null, user: "1002")), "1002", newTab, _time.GetUtcNow());
        _events.Clear();

        var removed = await _registrar.RemoveEarlierWebSocketBindingsAsync(startedAt);

        var left1001 = await ActiveAsync("1001");
        var left1002 = await ActiveAsync("1002");
        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.EqualTo(2));
            Assert.That(left1001.Select(b => b.ContactHost), Is.EqualTo(new[] { "192.168.1.20" }), "the desk phone over UDP stays until it expires");
            Assert.That(left1002.Select(b => b.ContactHost), Is.EqualTo(new[] { "c3.invalid" }), "the binding made since the start stays");
            Assert.That(_events.Select(e => (e.Change, e.Binding.ContactHost, e.IsRegistered)).Order(), Is.EqualTo(new[]
            {
                (SipBindingChange.Removed, "a1.invalid", true),
                (SipBindingChange.Removed, "b2.invalid", true),
            }));
        });
        Assert.That(await _registrar.RemoveEarlierWebSocketBindingsAsync(startedAt), Is.Zero, "nothing twice");
    }

    [Test]
    public async Task AnAgentWhoseOnlyPhoneWasTheLastRunsBrowserIsNoLongerRegistered()
    {
        var lastRunTab = new SipRemote(SipTransportProtocol.Ws, new IPEndPoint(IPAddress.Parse("10.0.0.7"), 51000));
        await _registrar.RegisterAsync(Register(cseq: 1, contacts: Contact("a1.invalid", port: null)), "1001", lastRunTab, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(5));

        var removed = await _registrar.RemoveEarlierWebSocketBindingsAsync(_time.GetUtcNow());

        Assert.That(removed, Is.EqualTo(1));
        Assert.That(await ActiveAsync(), Is.Empty);
        Assert.That(await _store.GetAllAsync(), Is.Empty, "the row is gone, not only hidden");
        Assert.That(_events[^1].IsRegistered, Is.False, "presence hears that 1001 has no phone now");
    }

    [Test]
    public async Task ExpiresZeroOnAContactRemovesOnlyThatContact()
    {
        await SendAsync(Register(cseq: 1, contacts: [Contact("192.168.1.20"), Contact("10.0.0.5")]));

        var response = await SendAsync(Register(cseq: 2, contacts: Contact("10.0.0.5", expires: "0")));

        var bindings = await ActiveAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(bindings.Select(b => b.ContactHost), Is.EqualTo(new[] { "192.168.1.20" }));
            Assert.That(response.Contacts.Select(c => c.Uri.Host), Is.EqualTo(new[] { "192.168.1.20" }));
            Assert.That(_events[^1].Change, Is.EqualTo(SipBindingChange.Removed));
            Assert.That(_events[^1].Binding.ContactHost, Is.EqualTo("10.0.0.5"));
            Assert.That(_events[^1].IsRegistered, Is.True);
        });
    }

    [Test]
    public async Task ExpiresHeaderZeroRemovesTheContact()
    {
        await SendAsync(Register(cseq: 1, contacts: Contact("192.168.1.20")));

        var response = await SendAsync(Register(cseq: 2, expires: 0, contacts: Contact("192.168.1.20")));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(response.Contacts, Is.Empty);
            Assert.That(await ActiveAsync(), Is.Empty);
            Assert.That(_events[^1].IsRegistered, Is.False);
        });
    }

    [Test]
    public async Task StarWithExpiresZeroRemovesEveryBinding()
    {
        await SendAsync(Register(cseq: 1, contacts: [Contact("192.168.1.20"), Contact("10.0.0.5")]));
        var star = Register(cseq: 2, expires: 0);
        star.ContactStar = true;

        var response = await SendAsync(star);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(response.Contacts, Is.Empty);
            Assert.That(await _store.GetBindingsAsync("1001"), Is.Empty);
            Assert.That(_events.Count(e => e.Change == SipBindingChange.Removed), Is.EqualTo(2));
            Assert.That(_events[^1].IsRegistered, Is.False);
        });
    }

    [TestCase(3600u)]
    [TestCase(null)]
    public async Task StarWithoutExpiresZeroIsABadRequest(uint? expires)
    {
        await SendAsync(Register(cseq: 1, contacts: Contact("192.168.1.20")));
        var star = Register(cseq: 2, expires: expires);
        star.ContactStar = true;

        var response = await SendAsync(star);

        Assert.That(response.StatusCode, Is.EqualTo(400));
        Assert.That(await ActiveAsync(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task StarTogetherWithAnotherContactIsABadRequest()
    {
        var star = Register(expires: 0, contacts: Contact("192.168.1.20"));
        star.ContactStar = true;

        Assert.That((await SendAsync(star)).StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task TooBriefIntervalGets423WithMinExpiresAndChangesNothing()
    {
        var response = await SendAsync(Register(contacts: [Contact("192.168.1.20", expires: "3600"), Contact("10.0.0.5", expires: "30")]));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(423));
            Assert.That(response.Headers.Get(SipHeaderNames.MinExpires), Is.EqualTo("60"));
            Assert.That(await ActiveAsync(), Is.Empty);
            Assert.That(_events, Is.Empty);
        });
    }

    [Test]
    public async Task TooLongIntervalIsShortenedToTheMaximum()
    {
        var response = await SendAsync(Register(expires: 7200, contacts: Contact("192.168.1.20")));

        Assert.That(ExpiresOf(response.Contacts[0]), Is.EqualTo(3600));
        Assert.That((await ActiveAsync())[0].ExpiresAt, Is.EqualTo(_time.GetUtcNow().AddSeconds(3600)));
    }

    [TestCase(5u)]
    [TestCase(4u)]
    public async Task SameCallIdWithoutAHigherCSeqIsRefusedAndLeavesTheBinding(uint cseq)
    {
        await SendAsync(Register(cseq: 5, contacts: Contact("192.168.1.20", expires: "300")));
        _time.Advance(TimeSpan.FromSeconds(10));

        var response = await SendAsync(Register(cseq: cseq, contacts: Contact("192.168.1.20", expires: "0")));

        var bindings = await ActiveAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(500));
            Assert.That(bindings, Has.Count.EqualTo(1));
            Assert.That(bindings[0].CSeq, Is.EqualTo(5));
        });
    }

    [Test]
    public async Task ADifferentCallIdReplacesTheBindingWhateverItsCSeq()
    {
        await SendAsync(Register(cseq: 5, callId: "first-boot", contacts: Contact("192.168.1.20")));

        var response = await SendAsync(Register(cseq: 1, callId: "after-reboot", contacts: Contact("192.168.1.20", expires: "600")));

        var bindings = await ActiveAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(bindings, Has.Count.EqualTo(1));
            Assert.That(bindings[0].CallId, Is.EqualTo("after-reboot"));
            Assert.That(bindings[0].CSeq, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RegisterWithoutContactIsAQueryShowingTheTimeLeft()
    {
        await SendAsync(Register(cseq: 1, contacts: [Contact("192.168.1.20", expires: "3600"), Contact("10.0.0.5", expires: "600")]));
        _time.Advance(TimeSpan.FromSeconds(100));

        var first = await SendAsync(Register(cseq: 2));
        _time.Advance(TimeSpan.FromSeconds(50));
        var second = await SendAsync(Register(cseq: 3));

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(200));
            Assert.That(first.Contacts.ToDictionary(c => c.Uri.Host, ExpiresOf), Is.EquivalentTo(new Dictionary<string, int> { ["192.168.1.20"] = 3500, ["10.0.0.5"] = 500 }));
            Assert.That(second.Contacts.ToDictionary(c => c.Uri.Host, ExpiresOf), Is.EquivalentTo(new Dictionary<string, int> { ["192.168.1.20"] = 3450, ["10.0.0.5"] = 450 }));
            Assert.That((await ActiveAsync()).Select(b => b.CSeq), Is.All.EqualTo(1));
            Assert.That(_events, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task RegisteringAnotherUsersAddressIsForbidden()
    {
        var response = await SendAsync(Register(user: "1002", contacts: Contact("192.168.1.20", user: "1002")), user: "1001");

        Assert.That(response.StatusCode, Is.EqualTo(403));
        Assert.That(await ActiveAsync("1002"), Is.Empty);
    }

    [Test]
    public async Task ToWithoutUserPartIsNotFound()
    {
        var request = Register(contacts: Contact("192.168.1.20"));
        request.To!.Uri.User = null;

        Assert.That((await SendAsync(request)).StatusCode, Is.EqualTo(404));
    }

    [TestCase("2")]
    [TestCase("0.1234")]
    [TestCase("abc")]
    [TestCase("1.5")]
    public async Task InvalidQValueIsABadRequest(string q) =>
        Assert.That((await SendAsync(Register(contacts: Contact("192.168.1.20", q: q)))).StatusCode, Is.EqualTo(400));

    [Test]
    public async Task ActiveBindingsComeBestFirstByQValue()
    {
        await SendAsync(Register(contacts: [Contact("10.0.0.1", q: "0.2"), Contact("10.0.0.2", q: "0.9"), Contact("10.0.0.3", q: "0.5")]));

        Assert.That((await ActiveAsync()).Select(b => b.ContactHost), Is.EqualTo(new[] { "10.0.0.2", "10.0.0.3", "10.0.0.1" }));
    }

    [Test]
    public async Task BindingKeepsTheContactUriParametersForTheInvite()
    {
        var contact = Contact("192.168.1.20");
        contact.Uri.Parameters.Set("transport", "TCP");
        contact.Uri.Parameters.Set("line", "a;b=c%");
        contact.Uri.Parameters.Set("ob", null);
        await SendAsync(Register(contacts: contact));

        var binding = (await ActiveAsync()).Single();
        var uri = binding.ToContactUri();
        Assert.Multiple(() =>
        {
            Assert.That(binding.ContactKey, Is.EqualTo("sip:1001@192.168.1.20:5062;transport=tcp"));
            Assert.That(binding.ContactTransport, Is.EqualTo("tcp"));
            Assert.That(uri.User, Is.EqualTo("1001"));
            Assert.That(uri.Host, Is.EqualTo("192.168.1.20"));
            Assert.That(uri.Port, Is.EqualTo(5062));
            Assert.That(uri.Parameters, Is.EqualTo(contact.Uri.Parameters));
        });
    }

    [Test]
    public async Task UnauthenticatedRegisterIsChallengedAndTheAnsweredOneBinds()
    {
        var first = await _registrar.HandleAsync(Register(cseq: 1, contacts: Contact("192.168.1.20")), _phone, _time.GetUtcNow());
        Assert.That(first.StatusCode, Is.EqualTo(401));
        Assert.That(await ActiveAsync(), Is.Empty);

        var retry = Register(cseq: 2, contacts: Contact("192.168.1.20"));
        retry.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(first, retry, "MD5", "1001", "demo-1001"));
        var second = await _registrar.HandleAsync(retry, _phone, _time.GetUtcNow());

        Assert.That(second.StatusCode, Is.EqualTo(200));
        Assert.That(await ActiveAsync(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AuthenticatedUserCannotRegisterAnotherExtensionThroughHandle()
    {
        _credentials.SetPassword("1002", Realm, "demo-1002");
        var first = await _registrar.HandleAsync(Register(cseq: 1, user: "1001", contacts: Contact("192.168.1.20")), _phone, _time.GetUtcNow());

        var retry = Register(cseq: 2, user: "1001", contacts: Contact("192.168.1.20"));
        retry.Headers.Add(SipHeaderNames.Authorization, DigestTestClient.Answer(first, retry, "MD5", "1002", "demo-1002"));
        var second = await _registrar.HandleAsync(retry, _phone, _time.GetUtcNow());

        Assert.That(second.StatusCode, Is.EqualTo(403));
    }

    private static SipNameAddress Hop(string uri)
    {
        var position = 0;
        Assert.That(CallCenter.Telephony.Sip.Parsing.SipNameAddressParser.TryRead(uri, ref position, inList: true, CallCenter.Telephony.Sip.Parsing.SipParserLimits.Default, out var hop, out var error), Is.True, error);
        return hop!;
    }

    [Test]
    public async Task APathIsStoredWithTheBindingEchoedToAPhoneThatSupportsItAndRoutesTheCall()
    {
        // RFC 3327 5.3: the proxy nearest us first; a call to the phone goes to it with the Path as Route.
        var request = Register(contacts: Contact("192.168.1.20"));
        request.Paths.Add(Hop("<sip:10.0.0.5:5070;lr>"));
        request.Paths.Add(Hop("<sip:10.0.0.9;lr;transport=tcp>"));
        request.Headers.Add(SipHeaderNames.Supported, "replaces, path");

        var response = await SendAsync(request);

        var binding = (await ActiveAsync()).Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(response.Paths.Select(p => SipWriter.Write(p)), Is.EqualTo(new[] { "<sip:10.0.0.5:5070;lr>", "<sip:10.0.0.9;lr;transport=tcp>" }));
            Assert.That(binding.Path, Is.EqualTo("<sip:10.0.0.5:5070;lr>, <sip:10.0.0.9;lr;transport=tcp>"));
            Assert.That(binding.RouteSet().Select(p => SipWriter.Write(p)), Is.EqualTo(new[] { "<sip:10.0.0.5:5070;lr>", "<sip:10.0.0.9;lr;transport=tcp>" }));
            Assert.That(binding.ToCallTarget(), Is.EqualTo(new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.5"), 5070))));
        });
    }

    [Test]
    public async Task APathIsStoredButNotEchoedToAPhoneThatDoesNotSayItSupportsIt()
    {
        var request = Register(contacts: Contact("192.168.1.20"));
        request.Paths.Add(Hop("<sip:10.0.0.5;lr>"));

        var response = await SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Paths, Is.Empty);
        Assert.That((await ActiveAsync()).Single().Path, Is.EqualTo("<sip:10.0.0.5;lr>"));
    }

    [Test]
    public async Task APathWhoseFirstHopIsANameOrThatIsTooLongIsRefusedAndNothingIsBound()
    {
        var named = Register(contacts: Contact("192.168.1.20"));
        named.Paths.Add(Hop("<sip:proxy.example.com;lr>"));
        var tooLong = Register(callId: "reg-call-2", contacts: Contact("192.168.1.20"));
        for (var i = 0; i < 9; i++)
        {
            tooLong.Paths.Add(Hop($"<sip:10.0.0.{i + 1};lr>"));
        }

        var namedResponse = await SendAsync(named);
        var tooLongResponse = await SendAsync(tooLong);

        Assert.That(namedResponse.StatusCode, Is.EqualTo(400));
        Assert.That(namedResponse.ReasonPhrase, Does.Contain("Path"));
        Assert.That(tooLongResponse.StatusCode, Is.EqualTo(400));
        Assert.That(await ActiveAsync(), Is.Empty);
    }

    [Test]
    public async Task ARefreshWithoutPathDropsTheOldPath()
    {
        var first = Register(cseq: 1, contacts: Contact("192.168.1.20"));
        first.Paths.Add(Hop("<sip:10.0.0.5;lr>"));
        await SendAsync(first);

        await SendAsync(Register(cseq: 2, contacts: Contact("192.168.1.20")));

        var binding = (await ActiveAsync()).Single();
        Assert.That(binding.Path, Is.Null);
        Assert.That(binding.ToCallTarget().EndPoint.Address, Is.EqualTo(IPAddress.Parse("192.168.1.20")));
    }
}
