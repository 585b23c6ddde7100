using System.Diagnostics;
using System.Globalization;
using CallCenter.TestSupport;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A private Dovecot IMAP server on loopback (Debian dovecot-imapd): a config written into a temporary
/// directory, one user in a passwd-file, Maildir storage, plain IMAP on a free port. Mail is delivered by
/// APPEND with MailKit, as a mail client or a delivery agent would put it there.
/// </summary>
internal sealed class Dovecot : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/dovecot";

    private readonly string _dir;
    private Process? _process;

    private Dovecot(string dir, int port, string username, string password)
    {
        _dir = dir;
        Port = port;
        Username = username;
        Password = password;
    }

    public int Port { get; }

    public string Username { get; }

    public string Password { get; }

    public string Log => File.Exists(Path.Combine(_dir, "dovecot.log")) ? File.ReadAllText(Path.Combine(_dir, "dovecot.log")) : "";

    public static async Task<Dovecot> StartAsync(string username = "mailer", string password = "imap-secret-1")
    {
        if (!File.Exists(Binary))
        {
            // A missing peer fails the test, it does not skip it (design.md section 6).
            Assert.Fail("Dovecot is not installed: scripts/test.sh installs dovecot-imapd.");
        }

        var dir = Directory.CreateTempSubdirectory("callcenter-imap-").FullName;
        var server = new Dovecot(dir, FreePorts.UdpAndTcp(), username, password);
        foreach (var sub in new[] { "run", "state", "home" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
        }

        // Dovecot will not run its login process as root: as root the packaged users dovecot/dovenull serve,
        // otherwise the current user does everything.
        var root = Environment.UserName == "root";
        var user = root ? "dovecot" : Environment.UserName;
        var loginUser = root ? "dovenull" : Environment.UserName;
        if (root)
        {
            // The temporary directory is private to its creator; Dovecot's auth and mail processes must read it.
            Run("chmod", "755", dir);
            Run("chown", "-R", "dovecot:dovecot", Path.Combine(dir, "home"));
        }

        await File.WriteAllTextAsync(Path.Combine(dir, "passwd"), $"{username}:{{PLAIN}}{password}\n");
        var config = $$"""
            first_valid_uid = 1
            base_dir = {{dir}}/run
            state_dir = {{dir}}/state
            log_path = {{dir}}/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            default_internal_user = {{user}}
            default_internal_group = {{user}}
            default_login_user = {{loginUser}}
            passdb {
              driver = passwd-file
              args = {{dir}}/passwd
            }
            userdb {
              driver = static
              args = uid={{user}} gid={{user}} home={{dir}}/home/%u
            }
            mail_location = maildir:~/Maildir
            service imap-login {
              chroot =
              inet_listener imap {
                address = 127.0.0.1
                port = {{server.Port.ToString(CultureInfo.InvariantCulture)}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service anvil {
              chroot =
            }
            service auth {
              user = {{user}}
            }
            service auth-worker {
              user = {{user}}
            }
            """;
        await File.WriteAllTextAsync(Path.Combine(dir, "dovecot.conf"), config);
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-F");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(dir, "dovecot.conf"));
        server._process = Process.Start(info)!;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = await server.ConnectAsync();
                return server;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or ImapProtocolException or AuthenticationException or OperationCanceledException or TimeoutException)
            {
                if (DateTime.UtcNow > deadline || server._process.HasExited)
                {
                    var log = server.Log;
                    await server.DisposeAsync();
                    Assert.Fail($"Dovecot did not start: {e.Message}\n{log}");
                }

                await Task.Delay(200);
            }
        }
    }

    /// <summary>Puts a mail into the user's INBOX and returns its UID.</summary>
    public async Task<uint> AppendAsync(MimeMessage message)
    {
        using var client = await ConnectAsync();
        var uid = await client.Inbox.AppendAsync(message, MessageFlags.None);
        await client.DisconnectAsync(true);
        return uid?.Id ?? 0;
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient { Timeout = 5000 };
        try
        {
            await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
            await client.AuthenticateAsync(Username, Password);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(file, arguments);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying child; the temp folder is cleaned by the system.
        }
    }

    /// <summary>A mail as a client would write it.</summary>
    public static MimeMessage Mail(string from, string subject, string text, string messageId)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("service@broker.example"));
        message.Subject = subject;
        message.MessageId = messageId;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }
}
