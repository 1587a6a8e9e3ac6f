using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Patients;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Patients;

/// <summary>Break-glass access to a chart outside the care team: the grant, its limits, its audit trail and its notifications.</summary>
public sealed class EmergencyAccessTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string Reason = "Unconscious in the emergency department; his own doctors cannot be reached.";

    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    Task<IReadOnlyList<string>> ReadPartsAsync(int doctorId, int patientId) => database.DataSource.QueryListAsync<string>(
        "SELECT new_values->>'part' FROM audit_log WHERE action = 'break_glass_chart_read' AND user_id = @doctorId AND entity_id = @patientId ORDER BY id",
        new { doctorId, patientId = patientId.ToString() });

    [Fact]
    public async Task ADoctorOutsideTheCareTeamReadsTheChartWithAReasonWhileEveryReadIsAuditedAndTheCareTeamIsTold()
    {
        var john = await database.UserIdAsync(John);
        var patel = await database.UserIdAsync(Patel);
        var doctor = await SignedInAsync(database, Patel, _clock);
        await Assert.ThrowsAsync<AccessDeniedException>(() => doctor.Chart.OpenAsync(john));
        Assert.True(await doctor.Emergency.CanRequestAsync(john));

        var tooShort = await Assert.ThrowsAsync<FieldValidationException>(() => doctor.Emergency.RequestAsync(john, "  it is urgent  "));
        Assert.Contains("at least 20 letters or digits", tooShort.Errors["Reason"]);
        Assert.Equal(0, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM break_glass_grants WHERE doctor_id = @patel", new { patel }));

        var grant = await doctor.Emergency.RequestAsync(john, Reason);

        Assert.Equal(_clock.GetUtcNow().UtcDateTime.AddMinutes(60), grant.ExpiresAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(Reason, await database.DataSource.QueryOneAsync<string>(
            "SELECT new_values->>'reason' FROM audit_log WHERE action = 'break_glass_granted' AND user_id = @patel AND entity_id = @john",
            new { patel, john = john.ToString() }));
        var told = await database.DataSource.QueryListAsync<string>("""
            SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id
            WHERE (n.data->>'grantId')::int = @id AND n.message LIKE '%Dr. Raj Patel%' AND n.message LIKE '%' || @Reason || '%'
            ORDER BY u.email
            """, new { grant.Id, Reason });
        Assert.Equal([Chen, Smith], told);

        var summary = await doctor.Chart.OpenAsync(john);
        await doctor.Chart.PrescriptionsAsync(john);
        await doctor.Chart.RecordsAsync(john);
        await doctor.Chart.AppointmentsAsync(john);
        await doctor.Vitals.ReadingsAsync(john);

        Assert.Equal("John Doe", summary.Name);
        Assert.Equal(grant.ExpiresAt, summary.EmergencyAccessUntil);
        Assert.Equal(["summary", "prescriptions", "records", "appointments", "vitals"], await ReadPartsAsync(patel, john));
        Assert.Equal(0, await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'chart_view' AND user_id = @patel", new { patel })); // a distinct action, not a normal view
        Assert.Equal(grant, await doctor.Emergency.RequestAsync(john, Reason)); // asking again while it lasts changes nothing

        // Read-only: the care team's writes stay the care team's.
        await Assert.ThrowsAsync<AccessDeniedException>(() => doctor.Prescriptions.PrescribeAsync(new PrescriptionDraft
        {
            PatientUserId = john, Medication = "Amlodipine", Dosage = "5 mg", Frequency = "Once daily", Quantity = 30,
        }));
    }

    [Fact]
    public async Task TheGrantEndsOnTheServerAtItsExpiryForEveryRead()
    {
        var doctorEmail = await database.NewUserAsync(Roles.Doctor);
        var doctorId = await database.UserIdAsync(doctorEmail);
        var emily = await database.UserIdAsync(Emily);
        var doctor = await SignedInAsync(database, doctorEmail, _clock);
        await doctor.Emergency.RequestAsync(emily, Reason);
        await doctor.Chart.OpenAsync(emily);

        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.NotEmpty(await doctor.Chart.AppointmentsAsync(emily));
        _clock.Advance(TimeSpan.FromMinutes(1));

        var ended = await Assert.ThrowsAsync<AccessDeniedException>(() => doctor.Chart.PrescriptionsAsync(emily));
        Assert.Equal("Your emergency access to this chart has ended.", ended.Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() => doctor.Chart.RecordsAsync(emily));
        await Assert.ThrowsAsync<AccessDeniedException>(() => doctor.Vitals.ReadingsAsync(emily));
        await Assert.ThrowsAsync<AccessDeniedException>(() => doctor.Chart.OpenAsync(emily));
        Assert.Equal(ChartAccessKind.EmergencyEnded, (await doctor.Chart.AccessAsync(emily)).Kind);
        Assert.Equal("emergency access ended", await database.DataSource.QueryOneAsync<string>(
            "SELECT new_values->>'reason' FROM audit_log WHERE action = 'chart_access_denied' AND user_id = @doctorId", new { doctorId }));
        Assert.Equal(["summary", "appointments"], await ReadPartsAsync(doctorId, emily));
        Assert.True(await doctor.Emergency.CanRequestAsync(emily)); // a new emergency needs a new reason
    }

    [Fact]
    public async Task TheCareTeamPatientsAndInactivePatientsChartsHaveNoBreakGlass()
    {
        var john = await database.UserIdAsync(John);
        var smith = await SignedInAsync(database, Smith, _clock);
        var patient = await SignedInAsync(database, Emily, _clock);
        var patel = await SignedInAsync(database, Patel, _clock);
        var linda = await database.UserIdAsync("linda.martinez@mediconnect.demo");
        var michael = await database.UserIdAsync(Michael);

        Assert.False(await smith.Emergency.CanRequestAsync(john));
        Assert.Contains("one of this patient's doctors", (await Assert.ThrowsAsync<BusinessRuleException>(() => smith.Emergency.RequestAsync(john, Reason))).Message);
        Assert.False(await patient.Emergency.CanRequestAsync(john));
        await Assert.ThrowsAsync<AccessDeniedException>(() => patient.Emergency.RequestAsync(john, Reason));
        Assert.False(await patel.Emergency.CanRequestAsync(linda));
        await Assert.ThrowsAsync<BusinessRuleException>(() => patel.Emergency.RequestAsync(linda, Reason));
        Assert.False(await patel.Emergency.CanRequestAsync(await database.UserIdAsync(Smith))); // a doctor is not a patient
        Assert.Equal(0, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM break_glass_grants WHERE patient_id IN (@linda, @michael)", new { linda, michael }));
    }

    [Theory]
    [InlineData("\u200B", 25, "at least 20 letters or digits")]
    [InlineData("\a", 22, "invisible control character (U+0007)")]
    [InlineData("\u202E", 21, "reverses or reorders text")]
    [InlineData("-. ", 30, "at least 20 letters or digits")]
    public async Task AReasonNobodyCanReadOpensNoChart(string character, int count, string message)
    {
        var john = await database.UserIdAsync(John);
        var doctorEmail = await database.NewUserAsync(Roles.Doctor);
        var doctorId = await database.UserIdAsync(doctorEmail);
        var doctor = await SignedInAsync(database, doctorEmail, _clock);

        var refused = await Assert.ThrowsAsync<FieldValidationException>(() => doctor.Emergency.RequestAsync(john, string.Concat(Enumerable.Repeat(character, count))));
        var hidden = await Assert.ThrowsAsync<FieldValidationException>(() => doctor.Emergency.RequestAsync(john, "\u202E" + Reason));

        Assert.Contains(message, refused.Errors["Reason"]);
        Assert.Contains("reverses or reorders text", hidden.Errors["Reason"]);
        Assert.Equal(0, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM break_glass_grants WHERE doctor_id = @doctorId", new { doctorId }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => doctor.Chart.OpenAsync(john));
    }

    [Fact]
    public async Task TheDatabaseRefusesAnUnreadableReasonToo()
    {
        var john = await database.UserIdAsync(John);
        var patel = await database.UserIdAsync(Patel);
        const string insert = """
            INSERT INTO break_glass_grants (doctor_id, patient_id, reason, granted_at, expires_at)
            VALUES (@patel, @john, @reason, now(), now() + interval '1 hour')
            """;

        foreach (var reason in new[] { new string('\u200B', 25), new string('\a', 22), "\u202E" + Reason, "- - - - - - - - - - - - - - -" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => database.DataSource.ExecuteAsync(insert, new { patel, john, reason }));
            Assert.Equal("break_glass_grants_reason_readable_check", refused.ConstraintName);
        }
    }

    [Theory]
    [InlineData("4")]
    [InlineData("721")]
    [InlineData("soon")]
    public void BreakGlassMinutesMustBeBetween5And720(string value)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["BREAK_GLASS_MINUTES"] = value }).Build();

        var error = Assert.Throws<PortalConfigurationException>(() => BreakGlassSettings.From(config));

        Assert.Contains("BREAK_GLASS_MINUTES", error.Message);
    }
}
