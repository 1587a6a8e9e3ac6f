using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace MediConnect.Portal.Tests.Startup;

/// <summary>The repository's appsettings.json, copied next to the binaries, applies wherever the portal starts from.</summary>
public sealed class SharedSettingsFileTests
{
    static WebApplicationBuilder BuilderStartedFrom(string folder) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = folder, EnvironmentName = "Production" });

    [Fact]
    public void SettingsFileIsReadEvenWhenTheContentRootHasNone()
    {
        var elsewhere = Directory.CreateTempSubdirectory("content-root-").FullName;
        var builder = BuilderStartedFrom(elsewhere);

        builder.Configuration.AddSharedSettingsFile();

        Assert.Equal("20", builder.Configuration["POSTGRES_POOL_MAX"]);
        Assert.Equal("logs/portal-.log", builder.Configuration["Serilog:WriteTo:1:Args:path"]);
        Directory.Delete(elsewhere);
    }

    [Fact]
    public void EveryOtherSourceOverridesTheSettingsFile()
    {
        var builder = BuilderStartedFrom(AppContext.BaseDirectory);
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>("POSTGRES_POOL_MAX", "35")]);

        builder.Configuration.AddSharedSettingsFile();

        Assert.Equal("35", builder.Configuration["POSTGRES_POOL_MAX"]);
    }

    [Fact]
    public void APublishedPortalStartedFromAnotherFolderServesTheWebRootNextToItsBinaries()
    {
        var published = Directory.CreateTempSubdirectory("published-").FullName;
        var elsewhere = Directory.CreateTempSubdirectory("working-dir-").FullName;
        Directory.CreateDirectory(Path.Combine(published, "wwwroot"));

        Assert.Equal(Path.Combine(published, "wwwroot"), PortalSetup.PublishedWebRoot(elsewhere, published));
        Assert.Null(PortalSetup.PublishedWebRoot(published, published)); // started in its own folder
        Assert.Null(PortalSetup.PublishedWebRoot(elsewhere, elsewhere)); // a build, not a publish: the default
        Directory.Delete(published, recursive: true);
        Directory.Delete(elsewhere);
    }
}
