using System.Security.Cryptography;
using System.Text;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account.ConnectedApps;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Account.ConnectedApps;

public sealed class AccessTokenServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    async Task<AccessTokenService> ServiceAsync(string email)
    {
        var user = await database.SignedInAsync(email);
        return new AccessTokenService(database.DataSource, user, new AuditLog(user), TimeProvider.System);
    }

    [Fact]
    public async Task ATokenIsShownOnceAndOnlyItsHashIsStored()
    {
        var service = await ServiceAsync(Demo.Emily);

        var created = await service.CreateAsync(new AccessTokenRequest("  Health app  ", ScopeContext.Patient, [], 30));

        Assert.Matches("^mcp_[A-Za-z0-9_-]{43}$", created.Token);
        Assert.Equal("Health app", created.Summary.Name);
        Assert.Equal(["patient/*.read"], created.Summary.ScopeList);
        Assert.Equal(created.Token[..10], created.Summary.TokenHint);
        var stored = await database.DataSource.QueryOneAsync<byte[]>("SELECT token_hash FROM api_tokens WHERE id = @id", new { id = created.Summary.Id });
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(created.Token)), stored);
        var everything = await database.DataSource.QueryOneAsync<string>("SELECT row_to_json(t)::text FROM api_tokens t WHERE id = @id", new { id = created.Summary.Id });
        Assert.DoesNotContain(created.Token[10..], everything);
        Assert.DoesNotContain(await service.ListAsync(), t => t.GetType().GetProperties().Any(p => p.GetValue(t) is string s && s.Contains(created.Token, StringComparison.Ordinal)));
        Assert.InRange((created.Summary.ExpiresAt - created.Summary.CreatedAt).TotalDays, 29.99, 30.01);
        Assert.Equal(1, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'api_token_created' AND entity_id = @id", new { id = created.Summary.Id.ToString() }));
    }

    [Fact]
    public async Task ScopesFollowTheRoleAndThePickedTypes()
    {
        var doctor = await ServiceAsync(Demo.Chen);

        var some = await doctor.CreateAsync(new AccessTokenRequest("Registry", ScopeContext.User, ["Condition", "Patient"], 90));
        var own = await Assert.ThrowsAsync<FieldValidationException>(() => doctor.CreateAsync(new AccessTokenRequest("Mine", ScopeContext.Patient, [], 90)));

        Assert.Equal(["user/Patient.read", "user/Condition.read"], some.Summary.ScopeList);
        Assert.Contains(nameof(AccessTokenRequest.Context), own.Errors.Keys);
    }

    [Theory]
    [InlineData("", 30, "Name")]
    [InlineData("App", 400, "ExpiresInDays")]
    [InlineData("App", 0, "ExpiresInDays")]
    [InlineData("App", -1, "ExpiresInDays")]
    [InlineData("App\u0007", 30, "Name")]
    [InlineData("\u202Eppa htlaeH", 30, "Name")]
    public async Task BadInputIsRefusedAndNothingIsStored(string name, int days, string field)
    {
        var service = await ServiceAsync(Demo.Okafor);
        var before = (await service.ListAsync()).Count;

        var e = await Assert.ThrowsAsync<FieldValidationException>(() => service.CreateAsync(new AccessTokenRequest(name, ScopeContext.User, [], days)));

        Assert.Contains(field, e.Errors.Keys);
        Assert.Contains(field == "Name" ? name.Length == 0 ? "Name the app" : "The token's name" : "from 1 to 365", e.Errors[field]);
        Assert.Equal(before, (await service.ListAsync()).Count);
        await Assert.ThrowsAsync<FieldValidationException>(() => service.CreateAsync(new AccessTokenRequest("App", ScopeContext.User, ["Encounter"], 30)));
    }

    [Fact]
    public async Task AnyWholeNumberOfDaysFromOneTo365IsAnExpiry()
    {
        var service = await ServiceAsync(Demo.Okafor);

        var shortest = await service.CreateAsync(new AccessTokenRequest("One day", ScopeContext.User, [], 1));
        var longest = await service.CreateAsync(new AccessTokenRequest("A year", ScopeContext.User, [], 365));

        Assert.InRange((shortest.Summary.ExpiresAt - shortest.Summary.CreatedAt).TotalDays, 0.99, 1.01);
        Assert.InRange((longest.Summary.ExpiresAt - longest.Summary.CreatedAt).TotalDays, 364.99, 365.01);
    }

    [Fact]
    public async Task AUserRevokesOnlyTheirOwnTokensAndARevokedTokenStaysListed()
    {
        var mine = await (await ServiceAsync(Demo.Michael)).CreateAsync(new AccessTokenRequest("Old app", ScopeContext.Patient, [], 7));
        var other = await ServiceAsync("maria.rodriguez@mediconnect.demo");

        Assert.False(await other.RevokeAsync(mine.Summary.Id));
        var service = await ServiceAsync(Demo.Michael);
        Assert.True(await service.RevokeAsync(mine.Summary.Id));
        Assert.False(await service.RevokeAsync(mine.Summary.Id));

        var listed = Assert.Single(await service.ListAsync(), t => t.Id == mine.Summary.Id);
        Assert.True(listed.IsRevoked);
        Assert.DoesNotContain(await other.ListAsync(), t => t.Id == mine.Summary.Id);
    }

    [Fact]
    public async Task AUserHasAtMostTwentyLiveTokens()
    {
        var service = await ServiceAsync("aisha.khan@mediconnect.demo");
        for (var i = 0; i < AccessTokenService.MaxLiveTokens; i++)
            await service.CreateAsync(new AccessTokenRequest($"App {i}", ScopeContext.User, [], 7));

        await Assert.ThrowsAsync<BusinessRuleException>(() => service.CreateAsync(new AccessTokenRequest("One more", ScopeContext.User, [], 7)));
        await service.RevokeAsync((await service.ListAsync())[0].Id);
        await service.CreateAsync(new AccessTokenRequest("One more", ScopeContext.User, [], 7));
    }

    [Fact]
    public async Task TheDatabaseRefusesAScopeThatIsNotReadOnly()
    {
        var userId = await database.UserIdAsync(Demo.John);
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => database.DataSource.ExecuteAsync(
            """
            INSERT INTO api_tokens (user_id, name, token_hash, token_hint, scopes, expires_at)
            VALUES (@userId, 'x', sha256('x'), 'mcp_x', ARRAY['user/*.write'], now() + interval '1 day')
            """, new { userId }));
    }
}
