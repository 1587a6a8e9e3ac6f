using System.Diagnostics;

namespace MediConnect.Portal.Benchmarks.Pages;

/// <summary>
/// The harness side: <c>clients</c> concurrent users opening the page through the portal's
/// services for a while, each load in a scope of its own (a circuit) with a random doctor or patient.
/// </summary>
public static class ServiceLoad
{
    public static async Task<Latencies> RunAsync(IServiceProvider services, PageLoad page, Shape shape, int clients, TimeSpan duration)
    {
        var perClient = new List<double>[clients];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client * 7919 + 1);
            var times = perClient[client] = [];
            while (clock.Elapsed < duration)
            {
                var ids = shape.Ids(shape.PickPatient(random, page.DevicePatient));
                var start = Stopwatch.GetTimestamp();
                await using (var scope = services.SignedIn(shape.User(page.Role, ids)))
                    await page.Load(scope.ServiceProvider, ids);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        return Latencies.From([.. perClient.SelectMany(t => t)], clock.Elapsed);
    }
}
