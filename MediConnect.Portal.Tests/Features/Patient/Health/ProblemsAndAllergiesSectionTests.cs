using Bunit;
using MediConnect.Portal.Features.Patient.Health;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Patient.Health;

public sealed class ProblemsAndAllergiesSectionTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    [Fact]
    public async Task APatientSeesTheirProblemsAndAllergiesEachWithReportACorrection()
    {
        await SignInAsync("james.taylor@mediconnect.demo");

        var problems = Render<ProblemsSection>();
        var allergies = Render<AllergiesSection>();

        await problems.WaitForAssertionAsync(() => Assert.Contains("Type 2 Diabetes", problems.Find("#summary-problems").TextContent));
        await allergies.WaitForAssertionAsync(() => Assert.Contains("Sulfa drugs", allergies.Find("#summary-allergies").TextContent));
        Assert.Equal(2, problems.FindAll("[data-problem-id]").Count);
        Assert.Equal(2, allergies.FindAll("[data-allergy-id]").Count);
        Assert.DoesNotContain("Hypertension", problems.Find("#summary-problems").TextContent); // John's, not James's
        Assert.Contains("Report a correction", allergies.Markup);
    }
}
