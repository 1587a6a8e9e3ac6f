using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components.Web;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Patients;

/// <summary>The chart's immunizations tab as a doctor uses it: a patient-reported dose is marked and confirmed in one click.</summary>
public sealed class ChartImmunizationsTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    Task<int> ReportedAsync(int patient) => Database.DataSource.InsertReturningAsync<int>("""
        INSERT INTO immunizations (patient_id, cvx_code, administered_on, given_at, source, recorded_by)
        VALUES (@patient, '187', current_date - 40, 'Corner pharmacy', 'patient_reported', @patient)
        RETURNING id
        """, new { patient });

    [Fact]
    public async Task ADoctorConfirmsADoseTheirPatientReported()
    {
        var john = await Database.UserIdAsync(John);
        var id = await ReportedAsync(john);
        await SignInAsync(Smith);

        var cut = Render<ChartImmunizations>(p => p.Add(c => c.PatientUserId, john));
        await cut.WaitForAssertionAsync(() => Assert.Contains("Patient-reported", cut.Find($"[data-immunization-id='{id}']").TextContent));
        await cut.Find($"[data-immunization-id='{id}'] [data-action='confirm-immunization']").ClickAsync(new MouseEventArgs());

        await cut.WaitForAssertionAsync(() => Assert.Contains("confirmed by Dr. Sarah Smith", cut.Find($"[data-immunization-id='{id}']").TextContent));
        Assert.Equal(await Database.UserIdAsync(Smith), await Database.DataSource.QueryOneAsync<int?>("SELECT confirmed_by FROM immunizations WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task UnderBreakGlassTheTabReadsButOffersNoRecordOrConfirm()
    {
        var john = await Database.UserIdAsync(John);
        var id = await ReportedAsync(john);
        await SignInAsync(Smith);

        var cut = Render<ChartImmunizations>(p => p.Add(c => c.PatientUserId, john).Add(c => c.CanWrite, false));

        await cut.WaitForAssertionAsync(() => Assert.Contains("Patient-reported", cut.Find($"[data-immunization-id='{id}']").TextContent));
        Assert.Empty(cut.FindAll("[data-action='confirm-immunization']"));
        Assert.Empty(cut.FindAll("#record-immunization"));
    }

    [Fact]
    public async Task ADoctorOutsideTheCareTeamSeesTheRefusalAndNoRows()
    {
        var john = await Database.UserIdAsync(John);
        await ReportedAsync(john);
        await SignInAsync(Patel);

        var cut = Render<ChartImmunizations>(p => p.Add(c => c.PatientUserId, john));

        await cut.WaitForAssertionAsync(() => Assert.Contains("do not have access", cut.Find("#chart-immunizations-error").TextContent));
        Assert.Empty(cut.FindAll("[data-immunization-id]"));
        Assert.Empty(cut.FindAll("#record-immunization"));
    }
}
