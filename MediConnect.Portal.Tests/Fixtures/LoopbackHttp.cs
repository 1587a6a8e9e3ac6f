using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// HTTP clients that connect from a chosen loopback address (127.0.0.2, 127.0.0.4…), so a test
/// can be a client of its own that the portal tells apart from others and from the proxy.
/// </summary>
public static class LoopbackHttp
{
    /// <param name="from">the local address to connect from</param>
    /// <param name="trusted">the one certificate to accept over HTTPS (a test proxy's self-signed one)</param>
    /// <param name="cookies">where the client keeps its cookies (a new container when null)</param>
    public static HttpClient Client(string from, Uri? baseAddress = null, X509Certificate2? trusted = null, bool useCookies = true, CookieContainer? cookies = null)
    {
        var local = IPAddress.Parse(from);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = useCookies,
            CookieContainer = cookies ?? new CookieContainer(),
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (trusted is not null)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetCertHashString() == trusted.GetCertHashString();
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }
}
