using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediConnect.Portal.Tests.Features.Account;

/// <summary>Instances starting together on an empty key ring share one first key.</summary>
public sealed class FirstDataProtectionKeyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string Purpose = "first-key-test";

    [Fact]
    public async Task ThreeInstancesStartingTogetherMakeOneKeyAndReadEachOthersTokens()
    {
        await database.DataSource.ExecuteAsync("DELETE FROM data_protection_keys");
        var instances = Enumerable.Range(0, 3).Select(_ => KeyRing.Over(database)).ToList();
        try
        {
            await Task.WhenAll(instances.Select(keys => Task.Run(() => new FirstDataProtectionKey(database.DataSource,
                keys.GetRequiredService<IKeyManager>(), TimeProvider.System, NullLogger<FirstDataProtectionKey>.Instance).EnsureAsync())));
            var payloads = instances.Select((keys, i) => keys.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect($"from {i}")).ToList();

            Assert.Equal(1, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM data_protection_keys"));
            for (var i = 0; i < instances.Count; i++)
                Assert.Equal($"from {i}", instances[(i + 1) % instances.Count].GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(payloads[i]));
        }
        finally
        {
            instances.ForEach(keys => keys.Dispose());
        }
    }
}
