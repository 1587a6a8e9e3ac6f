using System.Diagnostics;

namespace MediConnect.Portal.Tests.Startup;

/// <summary>No Docker engine runs here, but docker-compose can still validate the file.</summary>
public sealed class DockerComposeTests
{
    static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "docker-compose.yml")))
                return folder.FullName;
        }
        throw new InvalidOperationException("docker-compose.yml not found above the test binaries");
    }

    [Fact]
    public async Task ComposeFileIsValidWithAHealthCheckedDatabaseThePortalWaitsFor()
    {
        var composePath = new[] { "/usr/bin/docker-compose", "/usr/local/bin/docker-compose" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(composePath is null, "docker-compose is not installed (./test.sh installs it)");

        var start = new ProcessStartInfo(composePath!) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot() };
        foreach (var argument in new[] { "-f", "docker-compose.yml", "--profile", "portal", "config" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, error);
        Assert.Contains("image: postgres:15", output);
        Assert.Contains("pg_isready", output);
        Assert.Contains("condition: service_healthy", output);
        Assert.Contains("postgres-data:/var/lib/postgresql/data", output);
        Assert.Contains("POSTGRES_HOST: postgres", output);
    }
}
