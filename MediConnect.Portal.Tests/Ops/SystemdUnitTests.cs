using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Ops;

/// <summary>The VM guide's unit file, as systemd itself reads it.</summary>
public sealed class SystemdUnitTests
{
    static readonly string Unit = Repository.PathOf("ops", "systemd", "mediconnect-portal@.service");

    [Fact]
    public async Task TheUnitFilePassesSystemdAnalyzeVerifyForAnInstance()
    {
        var analyze = ExternalProgram.Find("systemd-analyze", "systemd");
        var folder = ExternalProgram.NewFolder("systemd");
        try
        {
            File.Copy(Unit, Path.Combine(folder, "mediconnect-portal@.service"));

            var (exitCode, output) = await ExternalProgram.RunAsync(analyze, ["verify", Path.Combine(folder, "mediconnect-portal@5001.service")]);

            Assert.True(exitCode == 0 && output.Trim().Length == 0, $"systemd-analyze verify exited {exitCode}:\n{output}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TheUnitRunsThePublishedPortalBehindTheProxyAndRestartsIt()
    {
        var lines = File.ReadAllLines(Unit).Select(l => l.Trim()).ToHashSet();

        Assert.Contains("Type=notify", lines);
        Assert.Contains("ExecStart=/usr/bin/dotnet /opt/mediconnect/MediConnect.Portal.dll", lines);
        Assert.Contains("Environment=ASPNETCORE_URLS=http://127.0.0.1:%i", lines);
        Assert.Contains("Environment=TRUSTED_PROXIES=127.0.0.1", lines);
        Assert.Contains("EnvironmentFile=/etc/mediconnect/portal.env", lines);
        Assert.Contains("Restart=always", lines);
        Assert.Contains("KillSignal=SIGTERM", lines);
    }
}
