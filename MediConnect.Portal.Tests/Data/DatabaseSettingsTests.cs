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

    [Fact]
    public void SslCaFileIsUsedAsRootCertificateAndMustExist()
    {
        var caFile = Path.GetTempFileName();
        var cs = Parse(("POSTGRES_HOST", "h"), ("POSTGRES_SSL", "true"), ("POSTGRES_SSL_CA_FILE", caFile));
        Assert.Equal(caFile, cs.RootCertificate);

        Assert.Contains("POSTGRES_SSL_CA_FILE", ErrorOf(("POSTGRES_HOST", "h"), ("POSTGRES_SSL_CA_FILE", "/no/such/ca.pem")));
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

    static NpgsqlConnectionStringBuilder Listen(params (string, string)[] values) =>
        new(DatabaseSettings.From(Config(values)).ListenConnectionString);

    [Fact]
    public void TheLiveUpdateListenerUsesItsOwnUnpooledConnectionToTheSameDatabaseByDefault()
    {
        var listen = Listen(("DATABASE_URL", "postgresql://clinic:pw@db:6432/portal?sslmode=require"));

        Assert.False(listen.Pooling);
        Assert.Equal(("db", 6432, "portal", "clinic", "pw", SslMode.Require), (listen.Host, listen.Port, listen.Database, listen.Username, listen.Password, listen.SslMode));
        Assert.Equal("MediConnect Portal (live updates)", listen.ApplicationName);
    }

    [Fact]
    public void BehindPgBouncerTheListenerGoesStraightToPostgreSqlThroughItsOwnHostAndPort()
    {
        var listen = Listen(("POSTGRES_HOST", "pgbouncer"), ("POSTGRES_PORT", "6432"), ("POSTGRES_PASSWORD", "pw"),
            ("POSTGRES_LISTEN_HOST", "db"), ("POSTGRES_LISTEN_PORT", "5432"));

        Assert.Equal(("db", 5432, "mediconnect", "postgres", "pw"), (listen.Host, listen.Port, listen.Database, listen.Username, listen.Password));
        Assert.False(listen.Pooling);
    }

    [Fact]
    public void DatabaseListenUrlNamesTheListenersConnectionWholeAndIsCheckedLikeDatabaseUrl()
    {
        var settings = DatabaseSettings.From(Config(("DATABASE_URL", "postgresql://app:pw@pgbouncer:6432/portal"),
            ("DATABASE_LISTEN_URL", "postgresql://listener:secret@db:5432/portal")));
        var listen = new NpgsqlConnectionStringBuilder(settings.ListenConnectionString);

        Assert.Equal(("db", 5432, "listener", "secret"), (listen.Host, listen.Port, listen.Username, listen.Password));
        Assert.Equal("listener@db:5432/portal", settings.ListenDescription);
        Assert.Equal("pgbouncer", new NpgsqlConnectionStringBuilder(settings.ConnectionString).Host);
        Assert.Contains("DATABASE_LISTEN_URL must look like", ErrorOf(("POSTGRES_HOST", "h"), ("DATABASE_LISTEN_URL", "db:5432")));
        Assert.Contains("POSTGRES_LISTEN_PORT", ErrorOf(("POSTGRES_HOST", "h"), ("POSTGRES_LISTEN_PORT", "x")));
    }
}
