using CallCenter.Ivr.Prompts;
using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// Every prompt the IVR plays and every waiting caller's position announcement (a round for the whole queue
/// every Routing:AnnouncementSeconds) looks its clips up here: a lookup allocates nothing, a list of prompts
/// only the array of its clips.
/// </summary>
public sealed class PromptLibraryAllocationTests
{
    private string _root = "";

    [SetUp]
    public void WritePrompts()
    {
        _root = Directory.CreateTempSubdirectory("callcenter-prompts-").FullName;
        foreach (var name in new[] { "queue-position-before", "n-3", "queue-position-after" })
        {
            Directory.CreateDirectory(Path.Combine(_root, "zh"));
            File.WriteAllBytes(Path.Combine(_root, "zh", name + ".wav"), Wav(new short[800]));
        }
    }

    [TearDown]
    public void RemovePrompts() => Directory.Delete(_root, recursive: true);

    [Test]
    public void LookingUpPromptsAllocatesOnlyTheListOfClips()
    {
        var library = new PromptLibrary(_root);
        IReadOnlyList<IvrPrompt> announcement = [new("zh", "queue-position-before"), new("zh", "n-3"), new("zh", "queue-position-after")];
        var three = library.Get("zh", "n-3");
        var found = Run(10);

        var before = GC.GetAllocatedBytesForCurrentThread();
        found += Run(1000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(three.Samples, Is.EqualTo(800), "the clip read from zh/n-3.wav");
        Assert.That(library.Get("zh", "no-such-prompt").Samples, Is.EqualTo(160), "an unknown name is the usual silence");
        Assert.That(found, Is.EqualTo(1010 * 4));
        // 1,000 arrays of three clips (48 B each on 64 bits); building a "zh/n-3" key per lookup cost about 4 × 40 B more.
        Assert.That(allocated, Is.LessThanOrEqualTo(1000 * 48), $"{allocated:N0} bytes for 1,000 single lookups and 1,000 lists of three");

        int Run(int times)
        {
            var hits = 0;
            for (var i = 0; i < times; i++)
            {
                hits += ReferenceEquals(library.Get("zh", "n-3"), three) ? 1 : 0;
                var clips = library.Get(announcement);
                for (var c = 0; c < clips.Count; c++)
                {
                    hits += clips[c].Samples == 800 ? 1 : 0;
                }
            }

            return hits;
        }
    }

    /// <summary>A minimal 8 kHz mono 16-bit PCM WAV file.</summary>
    private static byte[] Wav(short[] samples)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples.Length * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(8000);
        writer.Write(16000);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples.Length * 2);
        foreach (var sample in samples)
        {
            writer.Write(sample);
        }

        writer.Flush();
        return stream.ToArray();
    }
}
