using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace MediConnect.Portal.Tests.Features.Account;

public sealed class UserLogContextTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    sealed class CollectingSink : ILogEventSink
    {
        readonly List<LogEvent> _events = [];

        public IReadOnlyList<LogEvent> Events
        {
            get { lock (_events) return [.. _events]; }
        }

        public void Emit(LogEvent logEvent)
        {
            lock (_events) _events.Add(logEvent);
        }
    }

    [Fact]
    public async Task LogEventsOfASignedInRequestCarryTheUserIdAndNeverTheEmailOrPassword()
    {
        var sink = new CollectingSink();
        await using var portal = new PortalFactory(database.ConnectionString, new Dictionary<string, string?>
            {
                ["Serilog:MinimumLevel:Default"] = "Information",
                ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.Routing.EndpointMiddleware"] = "Information",
            })
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ILogEventSink>(sink)));
        using var client = portal.CreateClient(new() { AllowAutoRedirect = false });
        await AccountHttp.SignInAsync(client, SignIn.DoctorEmail, SignIn.DoctorPassword);

        await client.GetAsync("/account/sessions");

        var userId = await database.UserIdAsync(SignIn.DoctorEmail);
        // A framework line written while the page runs (Serilog's own request line goes through
        // the static logger, which parallel test hosts share, so it is not used here).
        var request = Assert.Single(sink.Events, IsSessionsEndpoint);
        Assert.Equal(userId.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Properties["UserId"].ToString());
        var everything = string.Join("\n", sink.Events.Select(e => e.RenderMessage() + string.Join(" ", e.Properties.Values)));
        Assert.DoesNotContain(SignIn.DoctorEmail, everything);
        Assert.DoesNotContain(SignIn.DoctorPassword, everything);
        Assert.Contains(sink.Events, e => e.MessageTemplate.Text.Contains("signed in", StringComparison.Ordinal));
    }

    static bool IsSessionsEndpoint(LogEvent e) =>
        e.MessageTemplate.Text.StartsWith("Executing endpoint", StringComparison.Ordinal)
        && e.Properties.TryGetValue("EndpointName", out var name) && name.ToString().Contains("/account/sessions", StringComparison.Ordinal);
}
