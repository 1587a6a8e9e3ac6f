using MediConnect.Portal.Data;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace MediConnect.Portal.Tests.Data;

public sealed class DatabaseSettingsTests
{
    static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    static NpgsqlConnectionStringBuilder Parse(params (string, string)[] values) =>
        new(DatabaseSettings.From(Config(values)).ConnectionString);

    static string ErrorOf(params (string, string)[] values) =>
        Assert.Throws<PortalConfigurationException>(() => DatabaseSettings.From(Config(values))).Message;

    [Fact]
    public void DatabaseUrlGivesHostPortDatabaseUserPasswordAndSslMode()
    {
        var cs = Parse(("DATABASE_URL", "postgresql://clinic:p%40ss%3Aword@db.example.org:6543/portal?sslmode=verify-full"));

        Assert.Equal("db.example.org", cs.Host);
        Assert.Equal(6543, cs.Port);
        Assert.Equal("portal", cs.Database);
        Assert.Equal("clinic", cs.Username);
        Assert.Equal("p@ss:word", cs.Password);
        Assert.Equal(SslMode.VerifyFull, cs.SslMode);
    }

    [Fact]
    public void DatabaseUrlWithoutPortUses5432AndAcceptsThePostgresScheme()
    {
        var cs = Parse(("DATABASE_URL", "postgres://u:p@localhost/db"));

        Assert.Equal(5432, cs.Port);
        Assert.Equal("db", cs.Database);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("mysql://u:p@host/db")]
    [InlineData("postgresql://u:p@host:5432/")]
    [InlineData("postgresql://u:secret-pw@host/db?sslmode=sometimes")]
    [InlineData("postgresql://u:secret-pw@host/db?pool=5")]
    public void MalformedDatabaseUrlIsRefusedWithoutEchoingIt(string url)
    {
        var message = ErrorOf(("DATABASE_URL", url));

        Assert.Contains("DATABASE_URL", message);
        Assert.DoesNotContain("secret-pw", message);
    }

    [Fact]
    public void PostgresVariablesBuildTheConnection()
    {
        var cs = Parse(("POSTGRES_HOST", "pg.internal"), ("POSTGRES_PORT", "5433"), ("POSTGRES_DB", "clinic"),
            ("POSTGRES_USER", "portal"), ("POSTGRES_PASSWORD", "pw"));

        Assert.Equal(("pg.internal", 5433, "clinic", "portal", "pw"), (cs.Host, cs.Port, cs.Database, cs.Username, cs.Password));
    }

    [Fact]
    public void DatabaseUrlWinsOverPostgresVariables()
    {
        var cs = Parse(("DATABASE_URL", "postgresql://u:p@from-url/db"), ("POSTGRES_HOST", "from-vars"));

        Assert.Equal("from-url", cs.Host);
    }

    [Fact]
    public void NamedConnectionStringIsUsedWhenNothingElseIsSet()
    {
        var cs = Parse(("ConnectionStrings:Postgres", "Host=cs-host;Database=cs-db;Username=u"));

        Assert.Equal(("cs-host", "cs-db"), (cs.Host, cs.Database));
    }

    [Fact]
    public void PoolSettingsDefaultToTheBriefsValues()
    {
        var cs = Parse(("POSTGRES_HOST", "h"));

        Assert.Equal((20, 2, 30, 10), (cs.MaxPoolSize, cs.MinPoolSize, cs.ConnectionIdleLifetime, cs.Timeout));
    }

    [Fact]
    public void PoolSettingsAreReadInMilliseconds()
    {
        var cs = Parse(("POSTGRES_HOST", "h"), ("POSTGRES_POOL_MAX", "50"), ("POSTGRES_POOL_MIN", "5"),
            ("POSTGRES_IDLE_TIMEOUT", "60000"), ("POSTGRES_CONNECTION_TIMEOUT", "2500"));

        Assert.Equal((50, 5, 60, 3), (cs.MaxPoolSize, cs.MinPoolSize, cs.ConnectionIdleLifetime, cs.Timeout));
    }

    [Fact]
    public void SeveralHostsShareTheConnectionTimeoutSoAFailoverWaitsForOneTimeoutNotOnePerHost()
    {
        // Npgsql tries each host in turn with the whole timeout: a lost primary that never answers cost 2 × 10 s.
        var cs = Parse(("ConnectionStrings:Postgres", "Host=primary.example,standby.example;Database=portal;Username=u;Password=p;Target Session Attributes=primary"),
            ("POSTGRES_CONNECTION_TIMEOUT", "10000"));

        Assert.Equal(2, cs.Timeout); // 2 hosts × 2 tries × 2 s: within the 10 s
    }

    [Theory]
    [InlineData("POSTGRES_POOL_MAX", "abc", "POSTGRES_POOL_MAX must be a whole number, but is 'abc'.")]
    [InlineData("POSTGRES_POOL_MAX", "0", "POSTGRES_POOL_MAX must be at least 1, but is 0.")]
    [InlineData("POSTGRES_POOL_MIN", "-1", "POSTGRES_POOL_MIN must be at least 0, but is -1.")]
    [InlineData("POSTGRES_IDLE_TIMEOUT", "soon", "POSTGRES_IDLE_TIMEOUT must be a whole number, but is 'soon'.")]
    [InlineData("POSTGRES_CONNECTION_TIMEOUT", "10", "POSTGRES_CONNECTION_TIMEOUT must be at least 1000, but is 10.")]
    [InlineData("POSTGRES_PORT", "70000", "POSTGRES_PORT must be between 1 and 65535, but is 70000.")]
    [InlineData("POSTGRES_SSL", "maybe", "POSTGRES_SSL must be true or false, but is 'maybe'.")]
    [InlineData("SLOW_QUERY_THRESHOLD_MS", "fast", "SLOW_QUERY_THRESHOLD_MS must be a whole number, but is 'fast'.")]
    public void BadValueIsRefusedNamingTheSetting(string key, string value, string expected)
    {
        Assert.Equal(expected, ErrorOf(("POSTGRES_HOST", "h"), (key, value)));
    }

    [Fact]
    public void PoolMinAboveMaxIsRefused()
    {
        Assert.Equal("POSTGRES_POOL_MIN (30) must not be greater than POSTGRES_POOL_MAX (10).",
            ErrorOf(("POSTGRES_HOST", "h"), ("POSTGRES_POOL_MAX", "10"), ("POSTGRES_POOL_MIN", "30")));
    }

    [Fact]
    public void NoDatabaseAtAllIsRefusedWithWhatToSet()
    {
        Assert.Contains("set DATABASE_URL", ErrorOf());
    }

    [Fact]
    public void SslTrueVerifiesTheServerCertificate()
    {
        var settings = DatabaseSettings.From(Config(("POSTGRES_HOST", "h"), ("POSTGRES_SSL", "true")));

        Assert.Equal(SslMode.VerifyFull, new NpgsqlConnectionStringBuilder(settings.ConnectionString).SslMode);
        Assert.False(settings.SslVerificationRelaxed);
    }

    [Fact]
    public void SslVerificationIsRelaxedOnlyWhenExplicitlyAsked()
    {
        var settings = DatabaseSettings.From(Config(("POSTGRES_HOST", "h"), ("POSTGRES_SSL", "true"), ("POSTGRES_SSL_REJECT_UNAUTHORIZED", "false")));

        Assert.Equal(SslMode.Require, new NpgsqlConnectionStringBuilder(settings.ConnectionString).SslMode);
        Assert.True(settings.SslVerificationRelaxed);
    }

    static string PemCertificateFile()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test-ca", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var file = Path.GetTempFileName();
        File.WriteAllText(file, certificate.ExportCertificatePem());
        return file;
    }

    [Fact]
    public void SslCaFileIsUsedAsRootCertificateAndMustExist()
    {
        var caFile = PemCertificateFile();
        var cs = Parse(("POSTGRES_HOST", "h"), ("POSTGRES_SSL", "true"), ("POSTGRES_SSL_CA_FILE", caFile));
        Assert.Equal(caFile, cs.RootCertificate);

        Assert.Contains("POSTGRES_SSL_CA_FILE", ErrorOf(("POSTGRES_HOST", "h"), ("POSTGRES_SSL_CA_FILE", "/no/such/ca.pem")));
    }

    [Fact]
    public void ACaFileAloneMeansVerifiedTlsAndContradictsAnExplicitPostgresSslFalse()
    {
        var caFile = PemCertificateFile();

        Assert.Equal(SslMode.VerifyFull, Parse(("POSTGRES_HOST", "h"), ("POSTGRES_SSL_CA_FILE", caFile)).SslMode);
        Assert.Contains("POSTGRES_SSL=false", ErrorOf(("POSTGRES_HOST", "h"), ("POSTGRES_SSL", "false"), ("POSTGRES_SSL_CA_FILE", caFile)));
    }

    [Fact]
    public void ACaFileThatIsNoCertificateIsRefusedAtStartWithTheSettingsName()
    {
        var notACertificate = Path.GetTempFileName();
        File.WriteAllText(notACertificate, "this is not a certificate");

        var error = ErrorOf(("POSTGRES_HOST", "h"), ("POSTGRES_SSL_CA_FILE", notACertificate));

        Assert.Contains("POSTGRES_SSL_CA_FILE", error);
        Assert.Contains("no PEM certificate", error);
    }

    [Fact]
    public void SettingsThatLoseToDatabaseUrlAreNamed()
    {
        var settings = DatabaseSettings.From(Config(("DATABASE_URL", "postgresql://u:p@db/portal"), ("POSTGRES_HOST", "other"), ("POSTGRES_PORT", "6000")));

        Assert.Equal(["POSTGRES_HOST", "POSTGRES_PORT"], settings.IgnoredSettings);
        Assert.Empty(DatabaseSettings.From(Config(("POSTGRES_HOST", "h"), ("POSTGRES_PORT", "6000"))).IgnoredSettings);
    }

    [Fact]
    public void SlowQueryThresholdDefaultsToOneSecond()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), DatabaseSettings.From(Config(("POSTGRES_HOST", "h"))).SlowQueryThreshold);
    }

    [Fact]
    public void SafeDescriptionLeavesThePasswordOut()
    {
        var settings = DatabaseSettings.From(Config(("DATABASE_URL", "postgresql://clinic:hunter2@db/portal")));

        Assert.Equal("clinic@db:5432/portal", settings.SafeDescription);
    }

    [Theory]
    [InlineData("DATABASE_URL", "postgresql://app:pw@pgbouncer:6432/portal?pgbouncer=true", null)]
    [InlineData("DATABASE_URL", "postgresql://app:pw@pgbouncer:6432/portal", "true")]
    public void BehindPgBouncerNoSessionStateIsKeptAndMigrationsGoDirect(string key, string url, string? flag)
    {
        var values = new List<(string, string)> { (key, url), ("DATABASE_DIRECT_URL", "postgresql://app:pw@db:5432/portal?sslmode=require") };
        if (flag is not null)
            values.Add(("POSTGRES_PGBOUNCER", flag));

        var settings = DatabaseSettings.From(Config([.. values]));
        var main = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        var direct = new NpgsqlConnectionStringBuilder(settings.DirectConnectionString);

        Assert.True(settings.ThroughPgBouncer);
        Assert.Equal(("pgbouncer", 6432, true, 0), (main.Host, main.Port, main.NoResetOnClose, main.MaxAutoPrepare));
        Assert.Equal(("db", 5432, SslMode.Require, false, 0), (direct.Host, direct.Port, direct.SslMode, direct.NoResetOnClose, direct.MinPoolSize));
    }

    [Fact]
    public async Task TheDirectPoolResetsItsSessionsBetweenUsesEvenOnTheMainConnectionString()
    {
        // Its sessions hold the migration lock and LISTEN.
        await using var direct = new DirectDataSource(DatabaseSettings.From(Config(("POSTGRES_HOST", "h"))));

        Assert.False(new NpgsqlConnectionStringBuilder(direct.DataSource.ConnectionString).NoResetOnClose);
    }

    [Fact]
    public void PgBouncerWithoutADirectUrlIsRefusedSayingWhy()
    {
        var message = ErrorOf(("DATABASE_URL", "postgresql://app:pw@pgbouncer:6432/portal?pgbouncer=true"));

        Assert.Contains("DATABASE_DIRECT_URL", message);
        Assert.Contains("advisory lock", message);
    }

    [Fact]
    public void WithoutPgBouncerTheMainPoolSkipsTheSessionResetAndThereIsNoSeparateDirectConnection()
    {
        var settings = DatabaseSettings.From(Config(("POSTGRES_HOST", "h")));

        Assert.False(settings.ThroughPgBouncer);
        Assert.True(new NpgsqlConnectionStringBuilder(settings.ConnectionString).NoResetOnClose); // it keeps no session state: no DISCARD ALL between uses
        Assert.Null(settings.DirectConnectionString);
        Assert.Null(settings.ReadConnectionString);
    }

    [Fact]
    public void ReadUrlNamesAStandbyWithThePoolSettingsAndAShortConnectTimeout()
    {
        var settings = DatabaseSettings.From(Config(("POSTGRES_HOST", "primary"), ("POSTGRES_POOL_MAX", "7"),
            ("DATABASE_READ_URL", "postgresql://reader:pw@standby:5433/portal"), ("DATABASE_READ_RECHECK_SECONDS", "4")));
        var read = new NpgsqlConnectionStringBuilder(settings.ReadConnectionString);

        Assert.Equal(("standby", 5433, "reader", 7, 3), (read.Host, read.Port, read.Username, read.MaxPoolSize, read.Timeout));
        Assert.Equal(TimeSpan.FromSeconds(4), settings.ReadRecheckInterval);
    }

    [Fact]
    public void AMultiHostReadConnectionStringMayPreferAStandby()
    {
        var settings = DatabaseSettings.From(Config(("POSTGRES_HOST", "primary"),
            ("ConnectionStrings:PostgresRead", "Host=standby1,standby2,primary;Username=u;Password=p;Database=portal;Target Session Attributes=prefer-standby")));

        Assert.Equal("standby1,standby2,primary", new NpgsqlConnectionStringBuilder(settings.ReadConnectionString).Host);
    }

    [Fact]
    public void AMalformedReadUrlIsRefusedNamingItsSetting()
    {
        var message = ErrorOf(("POSTGRES_HOST", "h"), ("DATABASE_READ_URL", "standby:5433"));

        Assert.StartsWith("DATABASE_READ_URL must look like", message);
        Assert.DoesNotContain("standby:5433", message);
    }
}
