using System.Globalization;
using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Health;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace MediConnect.Portal.Tests.Features.Patient.Health;

/// <summary>The Health summary's immunizations as a patient uses them: adding one given elsewhere, seeing it as patient-reported.</summary>
public sealed class ImmunizationsSectionTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    async Task<(string Email, int Id)> NewPatientAsync()
    {
        var email = await Database.NewUserAsync("patient");
        var id = await Database.UserIdAsync(email);
        await Database.DataSource.ExecuteAsync("INSERT INTO patients (user_id, date_of_birth) VALUES (@id, DATE '1990-05-01')", new { id });
        return (email, id);
    }

    async Task<IRenderedComponent<ImmunizationsSection>> OpenFormAsync()
    {
        Render<MudPopoverProvider>();
        var cut = Render<ImmunizationsSection>();
        await cut.WaitForAssertionAsync(() => Assert.Contains("No immunizations recorded.", cut.Markup));
        await cut.Find("#add-immunization").ClickAsync(new MouseEventArgs());
        await cut.WaitForAssertionAsync(() => Assert.NotEqual("0", cut.Find("#immunization-form").GetAttribute("data-vaccines")));
        return cut;
    }

    [Fact]
    public async Task APatientAddsOneGivenElsewhereAndSeesItAsPatientReported()
    {
        var (email, patient) = await NewPatientAsync();
        await SignInAsync(email);
        var cut = await OpenFormAsync();
        var day = DateTime.Today.AddDays(-10);

        var select = cut.FindComponent<MudSelect<string>>();
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync("115"));
        await cut.Find(".mud-picker input").ChangeAsync(day.ToString(CultureInfo.CurrentCulture.DateTimeFormat.ShortDatePattern, CultureInfo.CurrentCulture));
        await cut.Find("input#immunization-lot").InputAsync("TD-4471");
        await cut.Find("input#immunization-given-at").InputAsync("Corner pharmacy");
        await cut.Find("#save-immunization").ClickAsync(new MouseEventArgs());

        await cut.WaitForAssertionAsync(() =>
        {
            var item = cut.Find("[data-immunization-id]");
            Assert.Contains("Tdap", item.TextContent);
            Assert.Contains("Corner pharmacy", item.TextContent);
            Assert.Contains("Patient-reported, not yet confirmed", item.TextContent);
            Assert.NotNull(item.QuerySelector("[data-action='report-correction']"));
        });
        Assert.Empty(cut.FindAll("#immunization-form"));
        var row = await Database.DataSource.QueryOneAsync<(string Source, int? GivenBy, string Lot, string Day)>(
            "SELECT source, given_by, lot_number, administered_on::text FROM immunizations WHERE patient_id = @patient", new { patient });
        Assert.Equal(("patient_reported", (int?)null, "TD-4471", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), row);
    }

    [Fact]
    public async Task SavingWithoutAVaccineOrDateSaysWhatIsMissingAndWritesNothing()
    {
        var (email, patient) = await NewPatientAsync();
        await SignInAsync(email);
        var cut = await OpenFormAsync();

        await cut.Find("#save-immunization").ClickAsync(new MouseEventArgs());

        await cut.WaitForAssertionAsync(() =>
        {
            Assert.Contains("Choose the vaccine from the list.", cut.Markup);
            Assert.Contains("Give the date it was given.", cut.Markup);
        });
        Assert.Equal(0, await Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM immunizations WHERE patient_id = @patient", new { patient }));
    }

    [Fact]
    public async Task MarkupInWhereItWasGivenIsShownAsTextNeverRun()
    {
        var (email, patient) = await NewPatientAsync();
        await Database.DataSource.ExecuteAsync("""
            INSERT INTO immunizations (patient_id, cvx_code, administered_on, given_at, lot_number, source, recorded_by)
            VALUES (@patient, '150', DATE '2024-10-01', '<img src=x onerror=alert(1)> Pharmacy', '<b>LOT</b>', 'patient_reported', @patient)
            """, new { patient });
        await SignInAsync(email);

        var cut = Render<ImmunizationsSection>();

        await cut.WaitForAssertionAsync(() => Assert.Contains("<img src=x onerror=alert(1)> Pharmacy", cut.Find("[data-immunization-id]").TextContent));
        Assert.Empty(cut.FindAll("#summary-immunizations img"));
    }
}
