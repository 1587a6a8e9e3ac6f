using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Appointments;

public sealed class DoctorAppointmentsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    sealed record Owner(int DoctorId, string Status);

    async Task<DoctorAppointments> AsAsync(string email, TimeProvider? clock = null) =>
        (await SignedInAsync(database, email, clock)).Appointments;

    [Fact]
    public async Task TheListReturnsOnlyTheSignedInDoctorsAppointments()
    {
        var smith = await database.UserIdAsync(Smith);
        var service = await AsAsync(Smith);

        foreach (var scope in Enum.GetValues<AppointmentScope>())
        {
            var page = await service.ListAsync(new AppointmentQuery(scope, PageSize: 200));
            var expected = scope switch
            {
                AppointmentScope.Upcoming => await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM upcoming_appointments WHERE doctor_id = @smith", new { smith }),
                AppointmentScope.Past => await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM appointments WHERE doctor_id = @smith AND appointment_date < CURRENT_DATE", new { smith }),
                _ => await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM appointments WHERE doctor_id = @smith", new { smith }),
            };
            Assert.Equal(expected, page.TotalCount);
            var owners = await database.DataSource.QueryListAsync<int>("SELECT DISTINCT doctor_id FROM appointments WHERE id = ANY(@ids)", new { ids = page.Items.Select(i => i.Id).ToArray() });
            Assert.Equal([smith], owners);
        }
    }

    [Fact]
    public async Task UpcomingStartsWithTodayAndHoldsOnlyLiveAppointments()
    {
        var page = await (await AsAsync(Smith)).ListAsync(new AppointmentQuery());

        var today = DateOnly.FromDateTime(DateTime.Now);
        Assert.Equal(today, page.Items[0].AppointmentDate);
        Assert.Equal(page.Items.OrderBy(i => i.SlotStart).Select(i => i.Id), page.Items.Select(i => i.Id));
        Assert.All(page.Items, i => Assert.True(i.Status is not ("cancelled" or "completed") && i.AppointmentDate >= today));
        Assert.Contains(page.Items, i => i.PatientName == "John Doe" && i.Reason == "Blood pressure and lipid follow-up");
    }

    [Fact]
    public async Task TheListPagesOnTheServerWithoutGapsOrRepeats()
    {
        var service = await AsAsync(Smith);
        var all = await service.ListAsync(new AppointmentQuery(AppointmentScope.All, PageSize: 200));

        var seen = new List<int>();
        for (var pageNumber = 0; ; pageNumber++)
        {
            var page = await service.ListAsync(new AppointmentQuery(AppointmentScope.All, Page: pageNumber, PageSize: 4));
            Assert.Equal(all.TotalCount, page.TotalCount);
            if (page.Items.Count == 0)
                break;
            Assert.True(page.Items.Count <= 4);
            seen.AddRange(page.Items.Select(i => i.Id));
        }
        Assert.Equal(all.Items.Select(i => i.Id), seen);
    }

    [Fact]
    public async Task TheListFiltersByStatusDateRangeAndPatientName()
    {
        var service = await AsAsync(Smith);
        var today = DateOnly.FromDateTime(DateTime.Now);

        var completedJohn = await service.ListAsync(new AppointmentQuery(AppointmentScope.All, Statuses: [AppointmentStatus.Completed], PatientName: "doe"));
        var smith = await database.UserIdAsync(Smith);
        var expected = await database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM appointments a JOIN users u ON u.id = a.patient_id WHERE a.doctor_id = @smith AND a.status = 'completed' AND u.name ILIKE '%doe%'",
            new { smith });
        Assert.True(expected >= 4);
        Assert.Equal(expected, completedJohn.TotalCount);
        Assert.All(completedJohn.Items, i => Assert.True(i.Status == AppointmentStatus.Completed && i.PatientName == "John Doe"));

        var lastMonth = await service.ListAsync(new AppointmentQuery(AppointmentScope.Past, From: today.AddDays(-31), To: today.AddDays(-1)));
        Assert.NotEmpty(lastMonth.Items);
        Assert.All(lastMonth.Items, i => Assert.InRange(i.AppointmentDate, today.AddDays(-31), today.AddDays(-1)));

        var twoStatuses = await service.ListAsync(new AppointmentQuery(AppointmentScope.All, Statuses: [AppointmentStatus.Cancelled, AppointmentStatus.NoShow]));
        Assert.All(twoStatuses.Items, i => Assert.Contains(i.Status, new[] { AppointmentStatus.Cancelled, AppointmentStatus.NoShow }));
        Assert.Contains(twoStatuses.Items, i => i.Status == AppointmentStatus.NoShow);

        var upcomingWilson = await service.ListAsync(new AppointmentQuery(AppointmentScope.Upcoming, PatientName: "wilson"));
        Assert.NotEmpty(upcomingWilson.Items);
        Assert.All(upcomingWilson.Items, i => Assert.True(i.PatientName == "David Wilson" && i.AppointmentDate >= today));

        var nobody = await service.ListAsync(new AppointmentQuery(AppointmentScope.All, PatientName: "100%_match"));
        Assert.Equal(0, nobody.TotalCount);
    }

    [Fact]
    public async Task PastIsNewestFirstAndSortsByPatientName()
    {
        var service = await AsAsync(Smith);
        var past = await service.ListAsync(new AppointmentQuery(AppointmentScope.Past, Descending: true));
        Assert.Equal(past.Items.OrderByDescending(i => i.SlotStart).Select(i => i.Id), past.Items.Select(i => i.Id));

        var byName = await service.ListAsync(new AppointmentQuery(AppointmentScope.All, Sort: AppointmentSort.PatientName, PageSize: 200));
        Assert.Equal(byName.Items.Select(i => i.PatientName).Order(StringComparer.Ordinal), byName.Items.Select(i => i.PatientName));
    }

    [Fact]
    public async Task TodaysCountsCoverEveryStatusOfTodayOnly()
    {
        var smith = await database.UserIdAsync(Smith);
        var counts = await (await AsAsync(Smith)).TodayCountsAsync();

        var expected = await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM appointments WHERE doctor_id = @smith AND appointment_date = CURRENT_DATE", new { smith });
        Assert.Equal(AppointmentStatus.All, counts.Select(c => c.Status));
        Assert.Equal(expected, counts.Sum(c => c.Count));
        Assert.True(counts.Single(c => c.Status == AppointmentStatus.InProgress).Count >= 1);
    }

    [Fact]
    public async Task TheAgendaShowsTheDoctorsWeekInOrder()
    {
        var today = DateOnly.FromDateTime(DateTime.Now);
        var service = await AsAsync(Smith);
        var week = await service.AgendaAsync(today, today.AddDays(6));

        Assert.Contains(week, a => a.AppointmentDate == today);
        Assert.All(week, a => Assert.InRange(a.AppointmentDate, today, today.AddDays(6)));
        Assert.Equal(week.OrderBy(a => a.SlotStart).Select(a => a.Id), week.Select(a => a.Id));
        await Assert.ThrowsAsync<BusinessRuleException>(() => service.AgendaAsync(today, today.AddDays(60)));
    }

    [Fact]
    public async Task PatientsAndAdminsCannotReadADoctorsList()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await AsAsync(John)).ListAsync(new AppointmentQuery()));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await (await AsAsync("admin@mediconnect.demo")).TodayCountsAsync());
    }

    public static TheoryData<string, string> AllowedMoves => new()
    {
        { "scheduled", "confirmed" }, { "scheduled", "cancelled" }, { "confirmed", "in_progress" },
        { "confirmed", "cancelled" }, { "in_progress", "completed" },
    };

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public async Task AnAllowedMoveChangesTheStatusAndIsAudited(string from, string to)
    {
        var id = await InsertAppointmentAsync(database, from);
        var service = await AsAsync(Smith);
        var loaded = await service.GetAsync(id);

        var moved = await service.MoveAsync(id, to, loaded.UpdatedAt, reason: to == "cancelled" ? "Patient has the flu" : null);

        Assert.Equal(to, moved.Status);
        Assert.True(moved.UpdatedAt > loaded.UpdatedAt);
        var audit = await database.DataSource.QueryOneAsync<(string, string, string)>(
            "SELECT action, old_values->>'status', new_values->>'status' FROM audit_log WHERE entity_type = 'appointment' AND entity_id = @id",
            new { id = id.ToString() });
        Assert.Equal(("appointment_status_change", from, to), audit);
        if (to == "cancelled")
            Assert.Equal("Patient has the flu", moved.CancellationReason);
    }

    public static TheoryData<string, string> RefusedMoves => new()
    {
        { "scheduled", "in_progress" }, { "scheduled", "completed" }, { "scheduled", "scheduled" },
        { "confirmed", "completed" }, { "confirmed", "scheduled" },
        { "in_progress", "cancelled" }, { "in_progress", "no_show" }, { "in_progress", "confirmed" },
        { "completed", "scheduled" }, { "completed", "cancelled" }, { "completed", "in_progress" },
        { "cancelled", "confirmed" }, { "cancelled", "scheduled" },
        { "no_show", "confirmed" }, { "no_show", "completed" },
        { "scheduled", "archived" },
    };

    [Theory]
    [MemberData(nameof(RefusedMoves))]
    public async Task ARefusedMoveSaysWhyAndChangesNothing(string from, string to)
    {
        var id = await InsertAppointmentAsync(database, from);
        var service = await AsAsync(Smith);
        var loaded = await service.GetAsync(id);

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => service.MoveAsync(id, to, loaded.UpdatedAt, "reason"));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Equal(from, (await service.GetAsync(id)).Status);
        Assert.Equal(0, await AuditCountAsync(database, "appointment", id));
    }

    [Fact]
    public async Task CancellingNeedsAReason()
    {
        var id = await InsertAppointmentAsync(database, "confirmed");
        var service = await AsAsync(Smith);
        var loaded = await service.GetAsync(id);

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => service.MoveAsync(id, "cancelled", loaded.UpdatedAt, "   "));

        Assert.Contains("reason", error.Message);
        Assert.Equal("confirmed", (await service.GetAsync(id)).Status);
    }

    [Theory]
    [InlineData("scheduled")]
    [InlineData("confirmed")]
    public async Task NoShowIsAllowedOnlyOnceTheSlotTimeHasPassed(string from)
    {
        var day = DateOnly.FromDateTime(DateTime.Today).AddDays(300);
        var id = await InsertAppointmentAsync(database, from, day, new TimeOnly(10, 0));
        var clock = new FakeTimeProvider(new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 59)), TimeSpan.Zero));
        var service = await AsAsync(Smith, clock);
        var loaded = await service.GetAsync(id);

        Assert.DoesNotContain("no_show", AppointmentWorkflow.NextSteps(from, loaded.SlotStart, clock.GetLocalNow().DateTime));
        var early = await Assert.ThrowsAsync<BusinessRuleException>(() => service.MoveAsync(id, "no_show", loaded.UpdatedAt));
        Assert.Contains("time has passed", early.Message);

        clock.Advance(TimeSpan.FromMinutes(2));
        var moved = await service.MoveAsync(id, "no_show", loaded.UpdatedAt);
        Assert.Equal("no_show", moved.Status);
    }

    [Fact]
    public async Task AChangeSinceLoadingIsReportedWithTheFreshStateAndNothingIsOverwritten()
    {
        var id = await InsertAppointmentAsync(database, "scheduled");
        var service = await AsAsync(Smith);
        var loaded = await service.GetAsync(id);
        // Someone else (another tab, the patient, the front desk) confirms it meanwhile.
        await database.DataSource.ExecuteAsync("UPDATE appointments SET status = 'confirmed', notes = 'Called the patient' WHERE id = @id", new { id });

        var conflict = await Assert.ThrowsAsync<AppointmentChangedException>(() => service.MoveAsync(id, "cancelled", loaded.UpdatedAt, "Doctor ill"));

        Assert.Equal("confirmed", conflict.Current.Status);
        Assert.Equal("Called the patient", conflict.Current.Notes);
        Assert.Contains("changed", conflict.Message);
        Assert.Equal("confirmed", (await service.GetAsync(id)).Status);
        Assert.Equal(0, await AuditCountAsync(database, "appointment", id));
        // With the fresh state the doctor's next click goes through.
        Assert.Equal("cancelled", (await service.MoveAsync(id, "cancelled", conflict.Current.UpdatedAt, "Doctor ill")).Status);
    }

    [Fact]
    public async Task VisitNotesAreSavedAuditedAndGuardedAgainstStaleEdits()
    {
        var id = await InsertAppointmentAsync(database, "in_progress");
        var service = await AsAsync(Smith);
        var loaded = await service.GetAsync(id);

        var saved = await service.SaveNotesAsync(id, "  BP 130/85, feeling well.  ", loaded.UpdatedAt);

        Assert.Equal("BP 130/85, feeling well.", saved.Notes);
        Assert.Equal(1, await AuditCountAsync(database, "appointment", id));
        await Assert.ThrowsAsync<AppointmentChangedException>(() => service.SaveNotesAsync(id, "older edit", loaded.UpdatedAt));
        Assert.Equal("BP 130/85, feeling well.", (await service.GetAsync(id)).Notes);
    }

    [Fact]
    public async Task AnotherDoctorCannotMoveOrReadSmithsAppointment()
    {
        var id = await InsertAppointmentAsync(database, "scheduled");
        var patel = await AsAsync(Patel);

        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.GetAsync(id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => patel.MoveAsync(id, "confirmed", DateTime.UtcNow));
        Assert.Equal("scheduled", (await (await AsAsync(Smith)).GetAsync(id)).Status);
    }
}
