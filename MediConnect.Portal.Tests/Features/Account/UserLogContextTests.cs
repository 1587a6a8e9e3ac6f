using System.Globalization;
using System.Security.Claims;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace MediConnect.Portal.Tests.Features.Account;

/// <summary>
/// Log lines carry the signed-in user's id and never their email or password. The middleware is
/// run on its own here: Serilog's host integration writes through one static logger, which test
/// hosts running in parallel would share.
/// </summary>
public sealed class UserLogContextTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    sealed class CollectingSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    static async Task<LogEvent> LogDuringRequestAsync(ClaimsPrincipal user)
    {
        var sink = new CollectingSink();
        using var logger = new LoggerConfiguration().Enrich.FromLogContext().WriteTo.Sink(sink).CreateLogger();
        var services = new ServiceCollection().BuildServiceProvider();
        var app = new ApplicationBuilder(services);
        app.UseUserLogContext();
        app.Run(_ =>
        {
            logger.Information("Chart opened");
            return Task.CompletedTask;
        });

        await app.Build()(new DefaultHttpContext { User = user, RequestServices = services });
        return Assert.Single(sink.Events);
    }

    [Fact]
    public async Task LinesWrittenDuringASignedInRequestCarryTheUserIdAndNotTheEmail()
    {
        var user = new PortalUser(42, "dr.smith@mediconnect.demo", "Dr. Sarah Smith", Roles.Doctor, "session-key");
        var principal = new ClaimsPrincipal(new ClaimsIdentity(CurrentUser.ClaimsFor(user), "Cookies"));

        var line = await LogDuringRequestAsync(principal);

        Assert.Equal("42", line.Properties[UserLogContext.PropertyName].ToString());
        Assert.DoesNotContain(line.Properties.Values, v => v.ToString().Contains("dr.smith", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LinesOfASignedOutRequestCarryNoUserId()
    {
        var line = await LogDuringRequestAsync(new ClaimsPrincipal(new ClaimsIdentity()));

        Assert.False(line.Properties.ContainsKey(UserLogContext.PropertyName));
    }

    [Fact]
    public async Task SignInLogLinesNeverContainTheEmailOrThePassword()
    {
        var log = new ListLogger<SignInService>();
        var service = new SignInService(database.DataSource, new PasswordHasher(), Demo.PasswordOnly, TimeProvider.System, log);
        var client = new ClientInfo("127.0.0.1", "tests");

        await service.SignInAsync(SignIn.DoctorEmail, SignIn.DoctorPassword, client);
        await service.SignInAsync(SignIn.PatientEmail, "Typo-Password-99", client);
        await service.SignInAsync("nobody@mediconnect.demo", "Another-Secret-77", client);

        Assert.Equal(3, log.Lines.Count);
        var id = (await database.UserIdAsync(SignIn.DoctorEmail)).ToString(CultureInfo.InvariantCulture);
        Assert.Contains(log.Lines, l => l.Contains($"User {id} signed in", StringComparison.Ordinal));
        foreach (var secret in new[] { "mediconnect.demo", SignIn.DoctorPassword, "Typo-Password-99", "Another-Secret-77" })
            Assert.DoesNotContain(log.Lines, l => l.Contains(secret, StringComparison.Ordinal));
    }
}
