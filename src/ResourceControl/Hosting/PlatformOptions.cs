namespace CallCenter.ResourceControl.Hosting;

/// <summary>The <c>Recording</c> section: where call recordings are written.</summary>
public sealed class RecordingOptions
{
    public const string Section = "Recording";

    public string Directory { get; set; } = "recordings";
}

/// <summary>The <c>Demo</c> section: seed demo data (hotlines, agents, clients) into an empty database.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Seed { get; set; }
}
