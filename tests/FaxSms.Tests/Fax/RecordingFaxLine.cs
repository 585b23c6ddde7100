using CallCenter.FaxSms.Fax;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>A fax line that answers every call at once, sent with <c>pages</c> pages, and records each call's fax id and destination.</summary>
internal sealed class RecordingFaxLine(int pages) : IFaxLine
{
    private readonly List<(string FaxId, string To)> _called = [];

    public IReadOnlyList<string> FaxIds => Snapshot(c => c.FaxId);

    public IReadOnlyList<string> Destinations => Snapshot(c => c.To);

    public Task<FaxAttempt> SendAsync(string faxId, string to, string tiffPath, int startPage, CancellationToken cancellationToken)
    {
        lock (_called)
        {
            _called.Add((faxId, to));
        }

        return Task.FromResult(new FaxAttempt(200, new FaxResult(true, pages, 14400, true, 0, "OK"), "OK", "call-" + faxId));
    }

    private List<string> Snapshot(Func<(string FaxId, string To), string> field)
    {
        lock (_called)
        {
            return [.. _called.Select(field)];
        }
    }
}
