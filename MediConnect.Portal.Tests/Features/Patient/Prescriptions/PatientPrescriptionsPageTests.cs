using System.Globalization;
using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Home;
using MediConnect.Portal.Features.Patient.Prescriptions;
using MediConnect.Portal.Tests.Fixtures;
using MudBlazor;

namespace MediConnect.Portal.Tests.Features.Patient.Prescriptions;

/// <summary>A patient's prescriptions as they read them: dates in one style of their culture, each status in plain words.</summary>
public sealed class PatientPrescriptionsPageTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    async Task<string> NewPatientWithPrescriptionsAsync()
    {
        var email = await Database.NewUserAsync("patient");
        await Database.DataSource.ExecuteAsync("""
            INSERT INTO patients (user_id) SELECT id FROM users WHERE email = @email;
            INSERT INTO prescriptions (patient_id, doctor_id, medication, dosage, frequency, status, prescribed_date, expiration_date)
            SELECT u.id, d.id, rx.medication, '1 tablet', 'Once daily', rx.status, DATE '2024-03-04', rx.expires
            FROM users u, users d,
                 (VALUES ('Aspirin', 'pending', NULL::date), ('Metformin', 'active', DATE '2099-11-20'),
                         ('Amoxicillin', 'completed', DATE '2024-03-14'), ('Codeine', 'cancelled', NULL::date)) AS rx (medication, status, expires)
            WHERE u.email = @email AND d.email = @smith
            """, new { email, smith = Demo.Smith });
        return email;
    }

    async Task<IRenderedComponent<PatientPrescriptionsPage>> RenderPageAsync()
    {
        var cut = Render<PatientPrescriptionsPage>();
        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll(".prescription-card")));
        return cut;
    }

    [Theory]
    [InlineData("en-US", "Mar 4, 2024", "Nov 20, 2099")]
    [InlineData("de-DE", "4. März 2024", "20. Nov. 2099")]
    public async Task EveryDateOnThePageIsInTheOneStyleOfTheReadersCulture(string culture, string prescribed, string expires)
    {
        await SignInAsync(await NewPatientWithPrescriptionsAsync());
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var markup = (await RenderPageAsync()).Markup;

            Assert.Contains(prescribed, markup);
            Assert.Contains(expires, markup);
            Assert.DoesNotContain("2024-03-04", markup);
            Assert.DoesNotContain("4 Mar 2024", markup);
            Assert.DoesNotContain("03/04/2024", markup);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public async Task EachStatusIsExplainedInPlainWords()
    {
        await SignInAsync(await NewPatientWithPrescriptionsAsync());

        var cut = await RenderPageAsync();

        var aspirin = cut.FindAll(".prescription-card").Single(c => c.TextContent.Contains("Aspirin", StringComparison.Ordinal));
        Assert.Equal("Not sent yet", aspirin.QuerySelector(".prescription-status")!.TextContent.Trim());
        Assert.StartsWith("Not sent yet: your doctor has written it but not yet sent it to your pharmacy.",
            aspirin.QuerySelector(".prescription-status-meaning")!.TextContent.Trim());
        var metformin = cut.FindAll(".prescription-card").Single(c => c.TextContent.Contains("Metformin", StringComparison.Ordinal));
        Assert.Equal("Ready at the pharmacy", metformin.QuerySelector(".prescription-status")!.TextContent.Trim());
        var history = cut.Find("#prescription-history").TextContent;
        Assert.Contains("Finished", history);
        Assert.Contains("Stopped", history);
        Assert.DoesNotContain("pending", cut.Find("#current-prescriptions").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePendingPrescriptionTheVisitStartedIsOnTheHomePageSayingItIsNotSentYet()
    {
        await SignInAsync(await NewPatientWithPrescriptionsAsync());
        Render<MudPopoverProvider>();

        var home = Render<PatientHomePage>();

        await home.WaitForAssertionAsync(() => Assert.Contains("Metformin", home.Find("#active-prescriptions").TextContent));
        var card = home.Find("#active-prescriptions").TextContent;
        Assert.Contains("Aspirin 1 tablet", card);
        Assert.Contains("Not sent yet · Once daily", card);
        Assert.Contains("Ready at the pharmacy · Once daily", card);
        Assert.DoesNotContain("Amoxicillin", card);
    }
}
