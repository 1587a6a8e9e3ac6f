using System.Globalization;
using Microsoft.Playwright;

namespace MediConnect.Portal.Benchmarks.Http;

/// <summary>
/// <c>circuits</c>: opens <c>--count</c> Chromium pages on <c>/doctor</c>, signed in, and waits until
/// each one's interactive circuit is connected; prints the portal's resident memory (from
/// <c>/proc/PID/status</c>) before and with them open, and the difference per circuit.
/// </summary>
public static class CircuitsCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var portal = new Uri(options.Required("url"));
        var pid = int.Parse(options.Required("pid"), CultureInfo.InvariantCulture);
        var count = int.Parse(options.Get("count", "50"), CultureInfo.InvariantCulture);
        var cookies = await SignInCommand.SignInAsync(portal, options.Required("email"), options.Required("password"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal.ToString() });
        context.SetDefaultTimeout(120_000);
        await context.AddCookiesAsync([.. cookies.Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = portal.Host, Path = "/" })]);

        await SettleAsync();
        var before = ResidentKb(pid);
        var pages = new List<IPage>();
        for (var i = 0; i < count; i++)
        {
            var page = await context.NewPageAsync();
            var console = new List<string>();
            page.Console += (_, message) => console.Add(message.Text);
            await page.GotoAsync("/doctor");
            try
            {
                await page.WaitForFunctionAsync("() => document.body.hasAttribute('data-circuit-ready')");
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"Page {i + 1} at {page.Url} never became interactive. Browser console:\n{string.Join('\n', console)}");
            }
            pages.Add(page);
        }
        await SettleAsync();
        var after = ResidentKb(pid);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rss_before_kb\t{before}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rss_with_circuits_kb\t{after}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per_circuit_kb\t{(after - before) / (double)count:0}"));
        return 0;
    }

    /// <summary>Lets the portal finish the work the pages started (renders, first queries) before reading memory.</summary>
    static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(5));

    public static long ResidentKb(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
