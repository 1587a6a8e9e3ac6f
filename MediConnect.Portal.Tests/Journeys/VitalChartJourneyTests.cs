using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Playwright;

namespace MediConnect.Portal.Tests.Journeys;

/// <summary>
/// Emily's vitals charts as Chromium draws them, on a desktop (1280×800) and a phone (390×844):
/// axis labels at least 11 px as rendered, and every chart inside the viewport. With
/// <c>SCREENSHOTS_DIR</c> set, the test saves <c>vitals-desktop.png</c> and <c>vitals-phone.png</c> there
/// (docs/screenshots: the user guides' pictures are made this way).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class VitalChartJourneyTests(BrowserFixture browser, TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    readonly PortalFactory _portal = new(database.ConnectionString);

    [Fact]
    public async Task EmilysChartsAreReadableAndFitTheScreenOnADesktopAndAPhone()
    {
        var page = await browser.NewPageAsync(_portal.StartOnKestrel());
        await page.SignInAsync(Demo.Emily, SignIn.PatientPassword);

        foreach (var (name, width, height) in new[] { ("desktop", 1280, 800), ("phone", 390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync("/patient/vitals");
            await page.WaitForCircuitAsync();
            await Assertions.Expect(page.Locator(".vital-trend-chart[data-measure='Systolic'] .vital-trend-drawing")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".vital-trend-chart[data-measure='Systolic'] polyline")).ToHaveCountAsync(2);

            // Font size as drawn: the computed size times the SVG's scale to the screen (1 when no viewBox shrinks it).
            var sizes = await page.EvaluateAsync<double[]>("""
                () => [...document.querySelectorAll('.vital-trend-chart .axis-label')]
                          .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)
                """);
            Assert.NotEmpty(sizes);
            Assert.True(sizes.Min() >= 11, $"{name}: smallest axis label {sizes.Min()} px");

            // Every point tells its value and time on hover.
            var untitled = await page.Locator(".vital-trend-chart .vital-point:not(:has(title))").CountAsync();
            Assert.Equal(0, untitled);
            Assert.Matches(@"^Systolic \d+ mmHg.*, .+\d", await page.Locator(".vital-trend-chart[data-measure='Systolic'] .vital-point title").First.TextContentAsync());

            var overflow = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('.vital-trend-chart')]
                          .filter(c => c.getBoundingClientRect().right > window.innerWidth + 0.5 || c.scrollWidth > c.clientWidth + 1)
                          .map(c => c.dataset.measure + ' ' + Math.round(c.getBoundingClientRect().right) + '/' + c.scrollWidth)
                """);
            Assert.True(overflow.Length == 0, $"{name} ({width} px): charts past the viewport: {string.Join(", ", overflow)}");

            if (Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is { Length: > 0 } dir)
            {
                await page.WaitForFunctionAsync("() => !document.querySelector('.mud-progress-linear')");
                await page.ScreenshotAsync(new() { Path = Path.Combine(dir, $"vitals-{name}.png") });
            }
        }
    }

    public ValueTask DisposeAsync() => _portal.DisposeAsync();
}
