using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>Browser journeys share one Chromium and run one after another (two cores).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
