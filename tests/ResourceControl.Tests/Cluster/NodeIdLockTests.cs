using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CallCenter.Data;
using CallCenter.ResourceControl.Cluster;
using CallCenter.ResourceControl.Hosting;
using CallCenter.TestSupport;
using Npgsql;

namespace CallCenter.ResourceControl.Tests.Cluster;

/// <summary>
/// The node id's lock (<see cref="NodeIdLock"/>) on a real PostgreSQL reached through a TCP relay of the test's own:
/// when the relay stops passing bytes without closing anything (a half-open connection: the network went without a
/// word), the lock's check, and the attempt to connect again, each end within <see cref="NodeIdLock.CheckDeadline"/>
/// instead of stalling the cluster's round; and its connection is named for the process's instance and asks the
/// server for TCP keep-alives, so the server frees the lock of a machine that vanished.
/// </summary>
[NonParallelizable]
public sealed class NodeIdLockTests
{
    [Test]
    public async Task ACheckOnAConnectionThatStopsAnsweringEndsWithinItsDeadlineAndSoDoesConnectingAgain()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        var target = new NpgsqlConnectionStringBuilder(database.Options.ConnectionString);
        await using var relay = new FreezableRelay(target.Host!, target.Port);
        var viaRelay = new NpgsqlConnectionStringBuilder(database.Options.ConnectionString) { Host = "127.0.0.1", Port = relay.Port };
        await using var nodeLock = new NodeIdLock(
            new DatabaseOptions { Provider = "postgres", ConnectionString = viaRelay.ConnectionString },
            new ClusterOptions { Enabled = true, NodeId = "node-1" },
            TimeProvider.System);
        var holds = await nodeLock.HoldAsync(CancellationToken.None);
        var settings = await SessionSettingsAsync(database, nodeLock.ApplicationName);

        relay.Freeze();
        await Task.Delay(NodeIdLock.Check);
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAsync<TimeoutException>(() => nodeLock.HoldAsync(CancellationToken.None), "the check on a connection that does not answer fails");
        var checkTook = clock.Elapsed;
        clock.Restart();
        Assert.ThrowsAsync<TimeoutException>(() => nodeLock.HoldAsync(CancellationToken.None), "and so does connecting again while nothing answers");
        var reconnectTook = clock.Elapsed;
        TestContext.Out.WriteLine($"check failed after {checkTook.TotalMilliseconds:F0} ms, connecting again after {reconnectTook.TotalMilliseconds:F0} ms");

        Assert.That(holds, Is.True);
        Assert.That(settings, Is.EqualTo(("2", "2", "3")), "the server sends TCP keep-alives on the lock's connection (idle, interval, count)");
        // The deadline plus room for a loaded machine's scheduling (a CI run beside the integration tests took 2.25 s to
        // give up connecting): far below a stall without the lock connection's limits (the deadline and its 2 s timeouts;
        // Npgsql's defaults wait 15 s to connect and 30 s for a command).
        var bound = NodeIdLock.CheckDeadline + TimeSpan.FromMilliseconds(1500);
        Assert.That(checkTook, Is.LessThan(bound), "the check does not hold the round past its deadline");
        Assert.That(reconnectTook, Is.LessThan(bound));
        Assert.That(NodeIdLock.CheckDeadline, Is.LessThan(SharedAcd.RoundDeadline));
    }

    // The server's TCP keep-alive settings of the session with this application name, as that session sees them.
    private static async Task<(string, string, string)> SessionSettingsAsync(TestDatabase database, string applicationName)
    {
        await using var connection = new NpgsqlConnection(database.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*)::int FROM pg_stat_activity WHERE application_name = @name", connection);
        command.Parameters.AddWithValue("name", applicationName);
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(1), "one session named for the process's instance and node id");

        // Settings are per session: read them on a connection opened as the lock opens its own.
        var builder = new NpgsqlConnectionStringBuilder(NodeIdLock.ConnectionString(database.Options.ConnectionString, "callcenter-test"));
        await using var same = new NpgsqlConnection(builder.ConnectionString);
        await same.OpenAsync();
        await using var show = new NpgsqlCommand(
            """
            SELECT (SELECT setting FROM pg_settings WHERE name = 'tcp_keepalives_idle'), (SELECT setting FROM pg_settings WHERE name = 'tcp_keepalives_interval'),
                (SELECT setting FROM pg_settings WHERE name = 'tcp_keepalives_count')
            """,
            same);
        await using var reader = await show.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }

    /// <summary>A TCP relay to PostgreSQL that can stop passing bytes while keeping every connection open.</summary>
    private sealed class FreezableRelay : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _sockets = [];
        private readonly string _host;
        private readonly int _port;
        private volatile bool _frozen;

        public FreezableRelay(string host, int port)
        {
            _host = host;
            _port = port;
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Freeze() => _frozen = true;

        public ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_sockets)
            {
                foreach (var socket in _sockets)
                {
                    socket.Dispose();
                }
            }

            _stop.Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var server = new TcpClient();
                    await server.ConnectAsync(_host, _port, _stop.Token);
                    lock (_sockets)
                    {
                        _sockets.Add(client);
                        _sockets.Add(server);
                    }

                    _ = PumpAsync(client.GetStream(), server.GetStream());
                    _ = PumpAsync(server.GetStream(), client.GetStream());
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        // Bytes read while frozen are held, never passed on: the other end sees silence, not a close.
        private async Task PumpAsync(NetworkStream from, NetworkStream to)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var read = await from.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    while (_frozen)
                    {
                        await Task.Delay(50, _stop.Token);
                    }

                    await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // Stopped, or a side closed.
            }
        }
    }
}
