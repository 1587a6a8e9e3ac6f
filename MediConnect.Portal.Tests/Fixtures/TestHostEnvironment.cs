using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>A host environment with a chosen name, for services that behave differently in Development.</summary>
public sealed class TestHostEnvironment(string environmentName) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = environmentName;
    public string ApplicationName { get; set; } = "MediConnect.Portal";
    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
