using CallCenter.Data;
using CallCenter.FaxSms.Fax;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// The fax worker of node 2 starting on a database node 1 shares (issue 19): node 1's call and render in progress are
/// neither dialled nor rendered a second time, node 2's own left by its former life are, and a dead node's claim older
/// than <c>Fax:ClaimTimeoutSeconds</c> is taken back and sent.
/// </summary>
[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class FaxWorkerNodeTests(string provider)
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(30);
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fax-node-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task ANodeThatRestartsSendsItsOwnFaxesAgainAndADeadNodesOldOnesButNeverALiveNodesCallOrRender()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var node1 = new FaxRepository(db.Factory, new FaxNode("node-1", SharesDatabase: true));
        var node2 = new FaxRepository(db.Factory, new FaxNode("node-2", SharesDatabase: true));
        var node3 = new FaxRepository(db.Factory, new FaxNode("node-3", SharesDatabase: true));
        var now = DateTimeOffset.UtcNow;
        var options = new FaxOptions { Number = "95580", Directory = _dir, RetrySeconds = 1 };

        // Node 1 is live, in the middle of a call and of a render; node 2's former life left a call and a render;
        // node 3 died two hours ago in the middle of a call and never came back.
        await SendingAsync(node1, "fax-node1-call", now.AddSeconds(-5));
        await RenderingAsync(node1, "fax-node1-render", now.AddSeconds(-5));
        await SendingAsync(node2, "fax-node2-call", now.AddSeconds(-4));
        await RenderingAsync(node2, "fax-node2-render", now.AddSeconds(-4));
        await SendingAsync(node3, "fax-node3-call", now.AddHours(-2));

        var rendered = new List<string>();
        var signal = new FaxOutboxSignal();
        var outbox = new FaxOutbox(node2, options, signal, new FakeFaxNumbers("01088887777"), TimeProvider.System, async (pdf, tiff, _, _) =>
        {
            lock (rendered)
            {
                rendered.Add(Path.GetFileNameWithoutExtension(pdf));
            }

            await File.WriteAllBytesAsync(tiff, [1]);
            return 2;
        });
        var line = new RecordingFaxLine(pages: 2);
        using var worker = new FaxOutboxWorker(node2, outbox, line, new FakeFaxNumbers("01088887777"), options, signal, TimeProvider.System, NullLogger<FaxOutboxWorker>.Instance);
        await worker.StartAsync(default);
        FaxRecord ownCall, ownRender, deadCall;
        try
        {
            ownCall = await WaitForAsync(node2, "fax-node2-call", FaxStatus.Sent);
            ownRender = await WaitForAsync(node2, "fax-node2-render", FaxStatus.Sent);
            deadCall = await WaitForAsync(node2, "fax-node3-call", FaxStatus.Sent);

            // A few more of the worker's rounds (it polls every second) to see it leave node 1's rows alone.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
        }
        finally
        {
            await worker.StopAsync(default);
        }

        var liveCall = await node1.GetAsync("fax-node1-call", default);
        var liveRender = await node1.GetAsync("fax-node1-render", default);
        Assert.Multiple(() =>
        {
            Assert.That(line.FaxIds, Is.EquivalentTo(new[] { "fax-node2-call", "fax-node2-render", "fax-node3-call" }), "node 1's fax is not dialled a second time");
            Assert.That(rendered, Is.EqualTo(new[] { "fax-node2-render" }), "node 1's render is not run a second time");
            Assert.That((liveCall!.Status, liveCall.ClaimedBy, liveCall.Attempts), Is.EqualTo((FaxStatus.Sending, "node-1", 1)));
            Assert.That((liveRender!.Status, liveRender.NextAttemptAt, liveRender.ClaimedBy), Is.EqualTo((FaxStatus.Rendering, (DateTimeOffset?)null, "node-1")));
            Assert.That((ownCall.Attempts, ownCall.ClaimedBy), Is.EqualTo((2, "node-2")), "its own call tried again: the interrupted attempt counted");
            Assert.That((ownRender.DocumentPages, ownRender.ClaimedBy), Is.EqualTo(((int?)2, "node-2")));
            Assert.That((deadCall.Attempts, deadCall.ClaimedBy), Is.EqualTo((2, "node-2")), "the dead node's fax, taken back and sent by node 2");
        });
    }

    [Test]
    public async Task AWorkerWhoseNodeIdIsNotConfirmedClaimsNothingAndRequeuesNothingUntilItIs()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var node2 = new FaxRepository(db.Factory, new FaxNode("node-2", SharesDatabase: true));
        var now = DateTimeOffset.UtcNow;
        var options = new FaxOptions { Number = "95580", Directory = _dir, RetrySeconds = 1 };
        await SendingAsync(node2, "fax-under-node2", now.AddSeconds(-4)); // node 2's former life, or a live twin's
        await node2.EnqueueAsync("fax-queued", "01088887777", "95580", "/f/q.pdf", "/f/q.tif", 1, now, default);

        var signal = new FaxOutboxSignal();
        var outbox = new FaxOutbox(node2, options, signal, new FakeFaxNumbers("01088887777"), TimeProvider.System);
        var line = new RecordingFaxLine(pages: 2);
        var confirmed = false;
        using var worker = new FaxOutboxWorker(node2, outbox, line, new FakeFaxNumbers("01088887777"), options, signal, TimeProvider.System, NullLogger<FaxOutboxWorker>.Instance)
        {
            NodeIdConfirmed = () => Volatile.Read(ref confirmed),
        };
        await worker.StartAsync(default);
        FaxRecord left, waiting, requeued, queued;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            left = (await node2.GetAsync("fax-under-node2", default))!;
            waiting = (await node2.GetAsync("fax-queued", default))!;
            Volatile.Write(ref confirmed, true);
            requeued = await WaitForAsync(node2, "fax-under-node2", FaxStatus.Sent);
            queued = await WaitForAsync(node2, "fax-queued", FaxStatus.Sent);
        }
        finally
        {
            await worker.StopAsync(default);
        }

        Assert.Multiple(() =>
        {
            Assert.That((left.Status, left.Attempts), Is.EqualTo((FaxStatus.Sending, 1)), "not queued again while the id may be another process's");
            Assert.That((waiting.Status, waiting.Attempts), Is.EqualTo((FaxStatus.Queued, 0)), "nothing claimed under an id not confirmed");
            Assert.That((requeued.Attempts, queued.Attempts), Is.EqualTo((2, 1)), "both sent once the id is confirmed");
            Assert.That(line.FaxIds, Is.EquivalentTo(new[] { "fax-under-node2", "fax-queued" }));
        });
    }

    // A fax queued and claimed by the node of `repository` at `at` ("sending").
    private static async Task SendingAsync(FaxRepository repository, string id, DateTimeOffset at)
    {
        await repository.EnqueueAsync(id, "01088887777", "95580", $"/f/{id}.pdf", $"/f/{id}.tif", 1, at, default);
        Assert.That((await repository.ClaimDueAsync(at, default))?.Id, Is.EqualTo(id), "the test's claim");
    }

    // A fax accepted before its render, whose render the node of `repository` took at `at`; its PDF on disk.
    private async Task RenderingAsync(FaxRepository repository, string id, DateTimeOffset at)
    {
        var pdf = Path.Combine(_dir, id + ".pdf");
        await File.WriteAllBytesAsync(pdf, "%PDF-1.4"u8.ToArray());
        await repository.QueueToRenderAsync(id, "01088887777", "95580", pdf, Path.Combine(_dir, id + ".tif"), at, null, default);
        Assert.That((await repository.ClaimRenderAsync(at, default))?.Id, Is.EqualTo(id), "the test's claim");
    }

    private static async Task<FaxRecord> WaitForAsync(FaxRepository repository, string id, string status)
    {
        var deadline = DateTime.UtcNow + _patience;
        while (true)
        {
            var row = await repository.GetAsync(id, default);
            if (row!.Status == status || DateTime.UtcNow > deadline)
            {
                Assert.That(row.Status, Is.EqualTo(status), id);
                return row;
            }

            await Task.Delay(50);
        }
    }
}
