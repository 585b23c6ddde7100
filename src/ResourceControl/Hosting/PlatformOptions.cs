namespace CallCenter.ResourceControl.Hosting;

/// <summary>The <c>Recording</c> section: where call recordings are written, and how long they are kept.</summary>
public sealed class RecordingOptions
{
    public const string Section = "Recording";

    public string Directory { get; set; } = "recordings";

    /// <summary><c>Recording:Retention</c>: the daily job that deletes recordings past their period (Records/RecordingRetention).</summary>
    public Records.RecordingRetentionOptions Retention { get; set; } = new();
}

/// <summary>The <c>Demo</c> section: seed demo data (hotlines, agents, clients) into an empty database.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Seed { get; set; }
}
