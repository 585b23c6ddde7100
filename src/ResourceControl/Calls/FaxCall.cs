using CallCenter.FaxSms.Fax;

namespace CallCenter.ResourceControl.Calls;

/// <summary>A call's fax: its id, where the pages go, and the terminal the media clock drives. Held by <see cref="ActiveCall.Fax"/>.</summary>
internal sealed class FaxCall(string id, string tiffPath, FaxTerminal terminal)
{
    public string Id { get; } = id;

    public string TiffPath { get; } = tiffPath;

    public FaxTerminal Terminal { get; } = terminal;

    /// <summary>The T.30 result once known (phase E, or the hang-up that cut it short).</summary>
    public FaxResult? Result { get; private set; }

    /// <summary>An outbound fax's attempt: completed with the result when the call ends, instead of storing pages.</summary>
    public TaskCompletionSource<FaxResult>? Sent { get; init; }

    /// <summary>Stored (or being stored): the end is handled once.</summary>
    public bool Finished { get; private set; }

    /// <summary>The call is ending: from now on its end is being handled, and not again.</summary>
    public void Finishes() => Finished = true;

    /// <summary>The T.30 session ended with <paramref name="result"/>; the first result known stays.</summary>
    public void Resulted(FaxResult result) => Result ??= result;
}
