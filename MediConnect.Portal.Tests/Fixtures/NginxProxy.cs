using System.Net;
using System.Security.Cryptography.X509Certificates;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Features.Account;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// Debian's nginx in front of portal instances, running the repository's own
/// <c>ops/nginx/mediconnect.conf</c> with only the ports and the certificate swapped: TLS with a
/// self-signed certificate made here by openssl, sticky sessions by cookie, WebSockets.
/// Two additions for the tests: nginx connects to the instances from <see cref="ProxyAddress"/>
/// (so a client on 127.0.0.1 or 127.0.0.2 is told apart from the proxy), and every response
/// names the instance that served it in <c>X-Upstream</c>.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    /// <summary>The loopback address nginx connects to the instances from: the portal's <c>TRUSTED_PROXIES</c>.</summary>
    public const string ProxyAddress = "127.0.0.3";

    readonly ExternalProgram _process;
    readonly string _folder;

    NginxProxy(ExternalProgram process, string folder, int port, X509Certificate2 certificate)
    {
        _process = process;
        _folder = folder;
        Address = new Uri($"https://127.0.0.1:{port}");
        Certificate = certificate;
    }

    public Uri Address { get; }
    public X509Certificate2 Certificate { get; }

    public static async Task<NginxProxy> StartAsync(IEnumerable<Uri> instances)
    {
        var nginx = ExternalProgram.Find("nginx", "nginx");
        var folder = ExternalProgram.NewFolder("nginx");
        Directory.CreateDirectory(Path.Combine(folder, "tmp"));
        var port = LocalPostgresCluster.FreePort();
        var (certificate, key) = (Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"));
        await ExternalProgram.RunCheckedAsync(ExternalProgram.Find("openssl", "openssl"),
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate]);

        File.WriteAllText(Path.Combine(folder, "mediconnect.conf"), SiteConfiguration(instances, port, certificate, key));
        File.WriteAllText(Path.Combine(folder, "nginx.conf"), $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            daemon off;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log {{folder}}/access.log;
                client_body_temp_path {{folder}}/tmp/body;
                proxy_temp_path {{folder}}/tmp/proxy;
                fastcgi_temp_path {{folder}}/tmp/fastcgi;
                uwsgi_temp_path {{folder}}/tmp/uwsgi;
                scgi_temp_path {{folder}}/tmp/scgi;
                include {{folder}}/mediconnect.conf;
            }
            """);

        var trusted = X509CertificateLoader.LoadCertificateFromFile(certificate);
        var process = ExternalProgram.Start(nginx, ["-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log")]);
        var proxy = new NginxProxy(process, folder, port, trusted);
        try
        {
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(30));
        }
        catch (Exception e)
        {
            var log = proxy.ErrorLog;
            await proxy.DisposeAsync();
            throw new InvalidOperationException($"nginx did not start: {e.Message}\n{log}", e);
        }
        return proxy;
    }

    /// <summary>The shipped site file with these instances, this port and this certificate.</summary>
    static string SiteConfiguration(IEnumerable<Uri> instances, int port, string certificate, string key)
    {
        var lines = new List<string>();
        var upstreamWritten = false;
        foreach (var line in File.ReadAllLines(Repository.PathOf("ops", "nginx", "mediconnect.conf")))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("server 127.0.0.1:", StringComparison.Ordinal))
            {
                if (!upstreamWritten)
                    lines.AddRange(instances.Select(i => $"    server 127.0.0.1:{i.Port} max_fails=1 fail_timeout=10s;"));
                upstreamWritten = true;
            }
            else if (trimmed == "listen 80;")
                lines.Add($"    listen 127.0.0.1:{LocalPostgresCluster.FreePort()};");
            else if (trimmed.StartsWith("listen 443 ssl", StringComparison.Ordinal))
                lines.Add(line.Replace("listen 443", $"listen 127.0.0.1:{port}", StringComparison.Ordinal));
            else if (trimmed.StartsWith("ssl_certificate ", StringComparison.Ordinal))
                lines.Add($"    ssl_certificate {certificate};");
            else if (trimmed.StartsWith("ssl_certificate_key ", StringComparison.Ordinal))
                lines.Add($"    ssl_certificate_key {key};");
            else if (trimmed == "location / {")
                lines.AddRange([line, $"        proxy_bind {ProxyAddress};", "        add_header X-Upstream $upstream_addr always;"]);
            else
                lines.Add(line);
        }
        if (!upstreamWritten)
            throw new InvalidOperationException("ops/nginx/mediconnect.conf has no upstream server lines to replace");
        return string.Join('\n', lines);
    }

    /// <summary>
    /// An HTTP client of the proxy that trusts exactly its certificate, connecting from
    /// <paramref name="from"/> (any loopback address), cookies kept, no redirects followed.
    /// </summary>
    public HttpClient Client(string from = "127.0.0.1", bool useCookies = true, CookieContainer? cookies = null) =>
        LoopbackHttp.Client(from, Address, Certificate, useCookies, cookies);

    /// <summary>Signs in through the proxy; returns the session cookie alone as a <c>Cookie</c> header value (no route cookie: nginx then spreads the requests).</summary>
    public async Task<string> SessionCookieAsync(string email, string password)
    {
        var cookies = new CookieContainer();
        using (var client = Client(cookies: cookies))
        {
            var fields = await AccountHttp.HiddenFieldsAsync(client, "/account/login");
            fields["Input.Email"] = email;
            fields["Input.Password"] = password;
            using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
            if (response.StatusCode != HttpStatusCode.Redirect)
                throw new InvalidOperationException($"Signing in {email} through the proxy answered {response.StatusCode}");
        }
        var session = cookies.GetCookies(Address)[MediConnect.Portal.Features.Account.SignInSetup.CookieName]
            ?? throw new InvalidOperationException("Signing in through the proxy set no session cookie");
        return $"{session.Name}={session.Value}";
    }

    /// <summary>The instance (<c>127.0.0.1:port</c>) that served a response, as nginx reports it.</summary>
    public static string ServedBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Upstream", out var values) ? values.Last().Split(", ").Last() : "";

    public string ErrorLog => File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : _process.Output;

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
