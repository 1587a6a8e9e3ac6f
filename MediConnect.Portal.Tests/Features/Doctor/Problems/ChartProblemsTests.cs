using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Problems;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Problems;

public sealed class ChartProblemsTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    const string James = "james.taylor@mediconnect.demo";

    async Task<IRenderedComponent<ChartProblems>> OpenAsync(string patient)
    {
        await SignInAsync(Smith);
        var id = await Database.UserIdAsync(patient);
        var cut = Render<ChartProblems>(p => p.Add(c => c.PatientUserId, id));
        await cut.WaitForAssertionAsync(() => cut.Find("#chart-problem-list"));
        return cut;
    }

    static AngleSharp.Dom.IElement Row(IRenderedComponent<ChartProblems> cut, string text) =>
        cut.FindAll("#chart-problem-list [data-problem-id]").Single(r => r.TextContent.Contains(text));

    [Fact]
    public async Task ADoctorCodesAMigratedProblemBySearchingWords()
    {
        var cut = await OpenAsync(James);
        Assert.Contains("Not coded", Row(cut, "Type 2 Diabetes").TextContent);

        await Row(cut, "Type 2 Diabetes").QuerySelector(".problem-code")!.ClickAsync(new());
        cut.Find("#chart-problem-list .icd10-query input").Input("type 2 diabetes without");
        await cut.Find("#chart-problem-list .icd10-search").ClickAsync(new());
        await cut.Find("#chart-problem-list .icd10-results [data-code='E11.9']").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Contains("E11.9", Row(cut, "Type 2 Diabetes").TextContent));
        Assert.DoesNotContain("Not coded", Row(cut, "Type 2 Diabetes").TextContent);
        var code = await Database.DataSource.QueryOneAsync<string>(
            "SELECT icd10_code FROM patient_problems WHERE description = 'Type 2 Diabetes' AND patient_id = @id", new { id = await Database.UserIdAsync(James) });
        Assert.Equal("E11.9", code);
    }

    [Fact]
    public async Task ADoctorAddsAnAllergyAndAnEmptyOneIsRefusedWithAMessage()
    {
        var cut = await OpenAsync(John);

        await cut.Find("#allergy-save").ClickAsync(new());
        Assert.Contains("Name the substance.", cut.Find("#allergy-add").TextContent);

        cut.Find("input#allergy-substance").Input("Shellfish");
        cut.Find("input#allergy-reaction").Input("Swollen lips");
        await cut.Find("#allergy-save").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Contains("Shellfish — Swollen lips", cut.Find("#chart-allergy-list").TextContent));
    }

    [Fact]
    public async Task ADoctorOutsideTheCareTeamSeesTheRefusalNotTheList()
    {
        await SignInAsync(Patel);
        var john = await Database.UserIdAsync(John);
        var cut = Render<ChartProblems>(p => p.Add(c => c.PatientUserId, john));

        await cut.WaitForAssertionAsync(() => Assert.Contains("do not have access", cut.Find("#problems-message").TextContent));
        Assert.Empty(cut.FindAll("#chart-allergy-list"));
    }
}
