using System.Diagnostics;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Startup;

/// <summary>No Docker engine runs here, but docker-compose can still validate the file; the Dockerfile is read as text.</summary>
public sealed class DockerComposeTests
{
    sealed record ComposeResult(int ExitCode, string Output, string Error);

    /// <summary><c>docker-compose config</c> with only the variables given: no .env file, no POSTGRES_* from the caller's shell.</summary>
    static async Task<ComposeResult> ConfigAsync(params (string Name, string Value)[] variables)
    {
        var composePath = new[] { "/usr/bin/docker-compose", "/usr/local/bin/docker-compose" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(composePath is null, "docker-compose is not installed (./test.sh installs it)");

        var emptyEnvFile = Path.GetTempFileName();
        var start = new ProcessStartInfo(composePath!) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        foreach (var argument in new[] { "--env-file", emptyEnvFile, "-f", "docker-compose.yml", "--profile", "portal", "config" })
            start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("POSTGRES_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in variables)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(emptyEnvFile);
        return new ComposeResult(process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task ComposeFileIsValidWithAHealthCheckedDatabaseThePortalWaitsFor()
    {
        var result = await ConfigAsync(("POSTGRES_PASSWORD", "a-test-password"));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("image: postgres:15", result.Output);
        Assert.Contains("pg_isready", result.Output);
        Assert.Contains("condition: service_healthy", result.Output);
        Assert.Contains("postgres-data:/var/lib/postgresql/data", result.Output);
        Assert.Contains("POSTGRES_HOST: postgres", result.Output);
    }

    [Fact]
    public async Task WithoutAPasswordComposeRefusesAndSaysWhichSettingToSet()
    {
        var result = await ConfigAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("set POSTGRES_PASSWORD", result.Error);
        Assert.DoesNotContain("change-me", await File.ReadAllTextAsync(Repository.PathOf("docker-compose.yml")));
    }

    [Fact]
    public async Task PostgresIsPublishedOnLoopbackUnlessAskedOtherwise()
    {
        var byDefault = await ConfigAsync(("POSTGRES_PASSWORD", "a-test-password"));
        var everywhere = await ConfigAsync(("POSTGRES_PASSWORD", "a-test-password"), ("POSTGRES_BIND", "0.0.0.0"));

        Assert.Contains("127.0.0.1:5432:5432", byDefault.Output);
        Assert.Contains("0.0.0.0:5432:5432", everywhere.Output);
    }

    [Fact]
    public void ImageChecksItsHealthWithAProgramItInstallsAndGivesTheAppUserItsLogsFolder()
    {
        var lines = File.ReadAllLines(Repository.PathOf("Dockerfile"));
        var runtime = lines.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet", StringComparison.Ordinal)).ToList();

        var healthCheck = Assert.Single(runtime, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
        Assert.Contains("curl -fsS http://localhost:8080/health", healthCheck);
        Assert.Contains(runtime, l => l.StartsWith("RUN apt-get", StringComparison.Ordinal) && l.Contains(" curl", StringComparison.Ordinal));

        // Serilog's path is relative to the working directory: WORKDIR /app, so /app/logs, owned by the user the portal runs as.
        Assert.Contains("\"path\": \"logs/portal-.log\"", File.ReadAllText(Repository.PathOf("appsettings.json")));
        Assert.Contains("WORKDIR /app", runtime);
        Assert.Contains(runtime, l => l.StartsWith("RUN ", StringComparison.Ordinal) && l.Contains("mkdir -p /app/logs", StringComparison.Ordinal) && l.Contains("chown app:app /app/logs", StringComparison.Ordinal));
        Assert.True(runtime.IndexOf("USER app") > runtime.FindIndex(l => l.Contains("chown app:app /app/logs", StringComparison.Ordinal)), "the logs folder is made before USER app");
    }
}
