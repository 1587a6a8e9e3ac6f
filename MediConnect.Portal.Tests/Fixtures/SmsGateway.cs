using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>One request the gateway received: its path, Authorization header and form fields.</summary>
public sealed record GatewayRequest(string Method, string Path, string? Authorization, IReadOnlyDictionary<string, string> Form);

/// <summary>
/// A loopback HTTP server on Kestrel standing in for the SMS provider (no provider is reachable
/// from the test machines): it records every request and answers with the scripted replies in
/// order, then with Twilio's 201 for a queued message.
/// </summary>
public sealed class SmsGateway : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentQueue<(int Status, string Body)> _replies = new();

    public ConcurrentQueue<GatewayRequest> Requests { get; } = new();
    public Uri Address { get; }

    SmsGateway(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public static async Task<SmsGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        SmsGateway? gateway = null;
        app.Run(async context =>
        {
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
            gateway!.Requests.Enqueue(new GatewayRequest(context.Request.Method, context.Request.Path.Value ?? "",
                context.Request.Headers.Authorization.ToString(), form?.ToDictionary(f => f.Key, f => f.Value.ToString()) ?? []));
            var (status, body) = gateway._replies.TryDequeue(out var reply)
                ? reply
                : (201, """{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"}""");
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        gateway = new SmsGateway(app, new Uri(address));
        return gateway;
    }

    /// <summary>The next answers, in order, before the default 201.</summary>
    public void Reply(int status, string body) => _replies.Enqueue((status, body));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
