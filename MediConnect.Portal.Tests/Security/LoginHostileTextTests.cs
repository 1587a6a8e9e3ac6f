using System.Net;
using MediConnect.Portal.Data;
using MediConnect.Portal.Tests.Features.Account;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Security;

/// <summary>
/// The login form with the hostile-text corpus in its email field, posted as a browser posts it:
/// the login page's usual "Invalid email or password", never a server error (a NUL once reached
/// PostgreSQL and answered 500), and nothing counted or stored for an email no account can have.
/// </summary>
public sealed class LoginHostileTextTests(PortalOnDatabase fixture) : IClassFixture<PortalOnDatabase>
{
    public static TheoryData<string> Emails()
    {
        var data = new TheoryData<string>();
        // A lone surrogate cannot cross HTTP (UTF-8 turns it into U+FFFD, an ordinary character).
        foreach (var value in HostileTextCorpusTests.Controls.Concat(HostileTextCorpusTests.LineBreaks).Concat(HostileTextCorpusTests.DirectionMarks)
                     .Where(v => !v.Any(char.IsSurrogate)))
            data.Add($"john.doe{value}@mediconnect.demo");
        data.Add(new string('a', 255) + "@mediconnect.demo");
        data.Add(new string('a', 100_000));
        return data;
    }

    [Theory]
    [MemberData(nameof(Emails))]
    public async Task AHostileEmailGetsTheLoginPagesUsualMessage(string email)
    {
        using var client = AccountHttp.Client(fixture.Portal);

        using var response = await AccountHttp.PostLoginAsync(client, email, SignIn.PatientPassword);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Contains("Invalid email or password.", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await fixture.Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM sign_in_failures"));
        Assert.Equal(0, await fixture.Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM sessions"));
    }
}
