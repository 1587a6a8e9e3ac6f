using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The network between the portal and a test database, which a test can cut and mend: a loopback
/// TCP relay in front of the real PostgreSQL. <see cref="Cut"/> drops every open connection and
/// refuses new ones, as a database host that went away does; <see cref="Mend"/> listens again on
/// the same port.
/// </summary>
public sealed class DatabaseLink : IAsyncDisposable
{
    readonly string _targetHost;
    readonly int _targetPort;
    readonly List<TcpClient> _open = [];
    readonly CancellationTokenSource _stopped = new();
    TcpListener _listener;

    public DatabaseLink(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        (_targetHost, _targetPort) = (target.Host!, target.Port);
        _listener = Listen(0);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;
    }

    public int Port { get; }

    /// <summary>The test database's connection string, through this link.</summary>
    public string ConnectionString { get; }

    public void Cut()
    {
        lock (_open)
        {
            _listener.Stop();
            foreach (var client in _open)
                client.Dispose();
            _open.Clear();
        }
    }

    public void Mend()
    {
        lock (_open)
            _listener = Listen(Port);
    }

    TcpListener Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _ = AcceptAsync(listener);
        return listener;
    }

    async Task AcceptAsync(TcpListener listener)
    {
        while (!_stopped.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stopped.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return; // cut or disposed
            }
            _ = RelayAsync(client);
        }
    }

    async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        lock (_open)
        {
            _open.Add(client);
            _open.Add(server);
        }
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, _stopped.Token);
            var there = client.GetStream().CopyToAsync(server.GetStream(), _stopped.Token);
            var back = server.GetStream().CopyToAsync(client.GetStream(), _stopped.Token);
            await Task.WhenAny(there, back);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // One side closed or the link was cut: close both.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        _stopped.Cancel();
        Cut();
        _stopped.Dispose();
        return ValueTask.CompletedTask;
    }
}
