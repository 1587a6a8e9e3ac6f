using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Benchmarks.Pages;

/// <summary>Whoever the harness says is signed in: one per scope, like a circuit's user.</summary>
public sealed class BenchUser : ICurrentUser
{
    public PortalUser? User { get; set; }

    public Task<PortalUser?> GetAsync() => Task.FromResult(User);
}

/// <summary>
/// The portal's own service registrations (<c>AddPortal</c>: the same data source settings, Dapper
/// conventions and services a circuit gets) over a benchmark database, with the signed-in user set
/// by the harness. <paramref name="dataSource"/> replaces the portal's data source when given (to
/// capture the commands a page runs).
/// </summary>
public static class PortalServices
{
    public static IServiceProvider Build(string connectionString, NpgsqlDataSource? dataSource = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // Under load the portal's slow-query warnings would drown the harness's output.
            ["Serilog:MinimumLevel:Override:MediConnect.Portal.Data.SlowQueryLog"] = "Error",
            ["Serilog:WriteTo:1:Args:path"] = Path.Combine(Path.GetTempPath(), "mediconnect-bench-harness-.log"),
        });
        builder.AddPortal();
        builder.Services.AddScoped<BenchUser>();
        builder.Services.AddScoped<ICurrentUser>(services => services.GetRequiredService<BenchUser>());
        if (dataSource is not null)
            builder.Services.AddSingleton(dataSource);
        return builder.Build().Services;
    }

    /// <summary>A new scope (a circuit) with <paramref name="user"/> signed in.</summary>
    public static AsyncServiceScope SignedIn(this IServiceProvider services, PortalUser user)
    {
        var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<BenchUser>().User = user;
        return scope;
    }
}
