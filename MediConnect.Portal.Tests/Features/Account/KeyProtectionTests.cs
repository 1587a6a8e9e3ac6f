using System.Security.Cryptography;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediConnect.Portal.Tests.Features.Account;

/// <summary>The Data Protection key ring at rest: encrypted with a certificate when one is configured, and unreadable without it.</summary>
public sealed class KeyProtectionTests : IAsyncDisposable
{
    const string Purpose = "key-protection-test";
    readonly List<TestDatabase> _databases = [];
    readonly List<string> _files = [];

    async Task<TestDatabase> DatabaseAsync()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        _databases.Add(database);
        return database;
    }

    /// <summary>The stored keys (revocation rows aside), as anyone reading the table or a backup sees them.</summary>
    static Task<IReadOnlyList<string>> KeyRowsAsync(TestDatabase database) =>
        database.DataSource.QueryListAsync<string>("SELECT xml FROM data_protection_keys WHERE xml LIKE '<key %' ORDER BY id");

    /// <summary>Certificate-encrypted XML names its certificate by carrying the certificate itself.</summary>
    static string Names(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => Convert.ToBase64String(certificate.RawData);

    static string Unprotect(ServiceProvider keys, string payload) =>
        keys.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(payload);

    static KeyProtection Check(TestDatabase database, KeyProtectionSettings settings, string environment, ListLogger<KeyProtection> log) =>
        new(settings, database.DataSource, new TestHostEnvironment(environment), NullLoggerFactory.Instance, log);

    [Fact]
    public async Task WithACertificateThePortalStoresOnlyEncryptedKeysThatAreUnreadableWithoutIt()
    {
        var database = await DatabaseAsync();
        using var certificate = KeyRing.NewCertificate();
        var pfx = KeyRing.WritePfx(certificate, "s3cret-pfx-pass");
        _files.Add(pfx);
        await using var portal = new PortalFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["DATA_PROTECTION_CERT_FILE"] = pfx,
            ["DATA_PROTECTION_CERT_PASSWORD"] = "s3cret-pfx-pass",
        });

        // The login page's antiforgery token makes the portal create its first key.
        using var client = portal.CreateClient();
        Assert.Contains("__RequestVerificationToken", await client.GetStringAsync("/account/login"));
        var payload = portal.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("session key 42");

        var rows = await KeyRowsAsync(database);
        Assert.NotEmpty(rows);
        Assert.All(rows, xml =>
        {
            Assert.Contains("EncryptedData", xml);
            Assert.Contains(Names(certificate), xml);
            Assert.DoesNotContain("<value>", xml); // the key material itself is not in the row
        });
        using (var withoutCertificate = KeyRing.Over(database))
            Assert.ThrowsAny<CryptographicException>(() => Unprotect(withoutCertificate, payload));
        using (var otherCertificate = KeyRing.Over(database, KeyRing.NewCertificate("Someone else")))
            Assert.ThrowsAny<CryptographicException>(() => Unprotect(otherCertificate, payload));
        using (var withCertificate = KeyRing.Over(database, certificate))
            Assert.Equal("session key 42", Unprotect(withCertificate, payload));
    }

    [Fact]
    public async Task KeysStoredInClearBeforeTheCertificateWasConfiguredAreEncryptedAtStart()
    {
        var database = await DatabaseAsync();
        using var certificate = KeyRing.NewCertificate();
        string payload;
        using (var before = KeyRing.Over(database))
            payload = before.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("an authenticator secret");
        Assert.Contains("<value>", Assert.Single(await KeyRowsAsync(database)));
        var log = new ListLogger<KeyProtection>();

        await Check(database, new KeyProtectionSettings(certificate, null), "Production", log).CheckAsync();
        await Check(database, new KeyProtectionSettings(certificate, null), "Production", new ListLogger<KeyProtection>()).CheckAsync();

        var row = Assert.Single(await KeyRowsAsync(database));
        Assert.DoesNotContain("<value>", row);
        Assert.Contains("EncryptedData", row);
        Assert.Contains(log.Lines, l => l.StartsWith("Warning: Encrypted 1 Data Protection key(s)", StringComparison.Ordinal));
        using (var withCertificate = KeyRing.Over(database, certificate))
            Assert.Equal("an authenticator secret", Unprotect(withCertificate, payload)); // what the old key protected is still readable
        using (var withoutCertificate = KeyRing.Over(database))
            Assert.ThrowsAny<CryptographicException>(() => Unprotect(withoutCertificate, payload));
    }

    [Fact]
    public async Task RotatingTheCertificateKeepsOlderKeysReadableThroughThePreviousOne()
    {
        var database = await DatabaseAsync();
        using var oldCertificate = KeyRing.NewCertificate("Old");
        using var newCertificate = KeyRing.NewCertificate("New");
        string oldPayload, newPayload;
        using (var before = KeyRing.Over(database, oldCertificate))
            oldPayload = before.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("before the rotation");

        using (var during = KeyRing.Over(database, newCertificate, previous: oldCertificate))
        {
            Assert.Equal("before the rotation", Unprotect(during, oldPayload));
            // The next key (made every 90 days; here at once, the old one retired) is encrypted with the new certificate.
            var manager = during.GetRequiredService<IKeyManager>();
            var oldKey = Assert.Single(manager.GetAllKeys()).KeyId;
            var now = DateTimeOffset.UtcNow;
            manager.CreateNewKey(now.AddSeconds(-1), now.AddDays(90));
            manager.RevokeKey(oldKey, "certificate rotated");
        }
        using (var next = KeyRing.Over(database, newCertificate, previous: oldCertificate))
            newPayload = next.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("after the rotation");

        var rows = await KeyRowsAsync(database);
        Assert.Contains(Names(oldCertificate), rows[0]);
        Assert.All(rows.Skip(1), xml => Assert.Contains(Names(newCertificate), xml));
        Assert.True(rows.Count > 1);
        using var afterwards = KeyRing.Over(database, newCertificate);
        Assert.Equal("after the rotation", Unprotect(afterwards, newPayload));
        Assert.ThrowsAny<CryptographicException>(() => Unprotect(afterwards, oldPayload));
    }

    [Fact]
    public async Task OutsideDevelopmentAPortalWithoutACertificateWarnsThatKeysAreStoredInClear()
    {
        var database = await DatabaseAsync();
        var production = new ListLogger<KeyProtection>();
        var development = new ListLogger<KeyProtection>();

        await Check(database, new KeyProtectionSettings(null, null), "Production", production).CheckAsync();
        await Check(database, new KeyProtectionSettings(null, null), "Development", development).CheckAsync();

        var warning = Assert.Single(production.Lines);
        Assert.StartsWith("Warning: Data Protection keys are stored UNENCRYPTED", warning);
        Assert.Contains("DATA_PROTECTION_CERT_FILE", warning);
        Assert.Empty(development.Lines);
    }

    [Fact]
    public void AMissingOrUnreadableCertificateStopsStartUpWithAClearMessageThatNeverShowsThePassword()
    {
        using var certificate = KeyRing.NewCertificate();
        var pfx = KeyRing.WritePfx(certificate, "right-password");
        _files.Add(pfx);
        string Error(Dictionary<string, string?> settings) => Assert.Throws<PortalConfigurationException>(
            () => KeyProtectionSettings.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())).Message;

        Assert.Equal("DATA_PROTECTION_CERT_FILE names a file that does not exist: '/nowhere/key.pfx'.",
            Error(new() { ["DATA_PROTECTION_CERT_FILE"] = "/nowhere/key.pfx" }));
        var wrong = Error(new() { ["DATA_PROTECTION_CERT_FILE"] = pfx, ["DATA_PROTECTION_CERT_PASSWORD"] = "wrong-password" });
        Assert.Contains("cannot be read", wrong);
        Assert.DoesNotContain("wrong-password", wrong);
        Assert.Contains("without DATA_PROTECTION_CERT_FILE", Error(new() { ["DATA_PROTECTION_PREVIOUS_CERT_FILE"] = pfx }));
        var loaded = KeyProtectionSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATA_PROTECTION_CERT_FILE"] = pfx,
            ["DATA_PROTECTION_CERT_PASSWORD"] = "right-password",
        }).Build());
        Assert.Equal(certificate.Thumbprint, loaded.Certificate!.Thumbprint);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
            await database.DisposeAsync();
        foreach (var file in _files)
            File.Delete(file);
    }
}
