namespace CallCenter.ResourceControl.Hosting;

/// <summary>The <c>Recording</c> section: where call recordings are written, and how long they are kept.</summary>
public sealed class RecordingOptions
{
    public const string Section = "Recording";

    public string Directory { get; set; } = "recordings";

    /// <summary><c>Recording:Retention</c>: the daily job that deletes recordings past their period (Records/RecordingRetention).</summary>
    public Records.RecordingRetentionOptions Retention { get; set; } = new();

    /// <summary>
    /// Record every call that runs an IVR flow from its answer (self-service included), with silence
    /// while a masked entry (account number, PIN) is keyed; false: from the first agent's answer.
    /// </summary>
    public bool FromAnswer { get; set; }
}

/// <summary>The <c>Demo</c> section: seed demo data (hotlines, agents, clients) into an empty database.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Seed { get; set; }
}
