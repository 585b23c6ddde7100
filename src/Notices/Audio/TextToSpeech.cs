using System.Diagnostics;

namespace CallCenter.Notices.Audio;

/// <summary>
/// Speaks an announcement's text with espeak-ng (a Debian package, run as a process: the text goes in
/// on stdin, never on the command line, so no text is ever read as an option) into a WAV that
/// <see cref="TelephonyAudio"/> then converts. Mandarin uses the voice <c>cmn-latn-pinyin</c>, as the
/// shipped prompts do: espeak-ng 1.51's plain <c>cmn</c> reads the pinyin of its own dictionary as English.
/// </summary>
internal sealed class TextToSpeech(string program = "espeak-ng")
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static string VoiceOf(string language) => language == "en" ? "en-us" : "cmn-latn-pinyin";

    /// <summary>The WAV espeak-ng made of <paramref name="text"/>, or the reason it could not.</summary>
    public async Task<(byte[]? Wav, string? Error)> SpeakAsync(string text, string language, CancellationToken cancellationToken)
    {
        var output = Path.Combine(Path.GetTempPath(), $"callcenter-tts-{Guid.NewGuid():N}.wav");
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
        };
        foreach (var argument in new[] { "-v", VoiceOf(language), "-s", language == "en" ? "160" : "150", "-w", output, "--stdin" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return (null, "espeak-ng did not start");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            _ = process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.StandardInput.WriteAsync(text.AsMemory(), timeout.Token);
            process.StandardInput.Close();
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            if (process.ExitCode != 0 || !File.Exists(output))
            {
                return (null, $"espeak-ng failed (exit {process.ExitCode}): {(await error).Trim()}");
            }

            return (await File.ReadAllBytesAsync(output, cancellationToken), null);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "espeak-ng is not installed on this machine (Debian package espeak-ng)");
        }
        finally
        {
            File.Delete(output);
        }
    }
}
