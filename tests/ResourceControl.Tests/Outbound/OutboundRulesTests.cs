using CallCenter.Data.Callbacks;
using CallCenter.ResourceControl.Outbound;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>The do-not-call list's two copies (the store's rows and the set the check reads) stay one list.</summary>
public sealed class OutboundRulesTests
{
    private const string Typed = "13900000021";
    private const string E164 = "+8613900000021";

    [Test]
    public async Task ARemoveCrossingAnAddWaitsForItSoTheSetAndTheStoreAgree()
    {
        var store = new HeldStore();
        using var rules = new OutboundRules(store, new DialingOptions(), new OutboundOptions(), TimeProvider.System, NullLogger<OutboundRules>.Instance);
        await rules.StartAsync(CancellationToken.None);

        // The add has written its row and is held before it fills the set; the remove arrives then.
        var add = rules.AddAsync(Typed, "asked on the phone", "admin", CancellationToken.None);
        await store.AddWritten.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var remove = Task.Run(() => rules.RemoveAsync(Typed, "admin2", CancellationToken.None));
        await Task.Delay(200);
        store.ReleaseAdd.SetResult();
        await Task.WhenAll(add, remove).WaitAsync(TimeSpan.FromSeconds(5));

        var inStore = (await store.ListAsync()).Any(r => r.Number == E164);
        Assert.Multiple(() =>
        {
            Assert.That(inStore, Is.False, "the remove came last");
            Assert.That(rules.DoNotCallReason(E164), Is.Null, "the check must not refuse a number the list no longer has");
        });
    }

    /// <summary>A store in memory whose first add writes its row, then waits to be released before it returns.</summary>
    private sealed class HeldStore : IDoNotCallStore
    {
        private readonly Dictionary<string, DoNotCallRow> _rows = [];

        public TaskCompletionSource AddWritten { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseAdd { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<bool> AddAsync(DoNotCallRow row, CancellationToken cancellationToken = default)
        {
            bool added;
            lock (_rows)
            {
                added = _rows.TryAdd(row.Number, row);
                _rows[row.Number] = row;
            }

            AddWritten.TrySetResult();
            await ReleaseAdd.Task;
            return added;
        }

        public Task<bool> RemoveAsync(string number, CancellationToken cancellationToken = default)
        {
            lock (_rows)
            {
                return Task.FromResult(_rows.Remove(number));
            }
        }

        public Task<IReadOnlyList<DoNotCallRow>> ListAsync(CancellationToken cancellationToken = default)
        {
            lock (_rows)
            {
                return Task.FromResult<IReadOnlyList<DoNotCallRow>>([.. _rows.Values]);
            }
        }

        public Task<DoNotCallRow?> FindAsync(string number, CancellationToken cancellationToken = default)
        {
            lock (_rows)
            {
                return Task.FromResult(_rows.GetValueOrDefault(number));
            }
        }
    }
}
