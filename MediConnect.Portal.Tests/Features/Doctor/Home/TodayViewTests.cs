using AngleSharp.Dom;
using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Home;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Home;

/// <summary>
/// The doctor's Today, for a doctor of the test's own whose day it builds: the component's clock stands
/// at noon of the database's today (CURRENT_DATE), so the test holds on any day.
/// </summary>
public sealed class TodayViewTests(TestDatabase database) : DatabaseComponentTest(database, Clock), IClassFixture<TestDatabase>
{
    static FakeTimeProvider Clock => new(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>A new doctor signed in, the clock at noon of the database's today; returns the doctor's email and today.</summary>
    async Task<(string Doctor, DateOnly Today)> NewDayAsync()
    {
        var today = await Database.DataSource.QueryOneAsync<DateOnly>("SELECT CURRENT_DATE");
        ((FakeTimeProvider)Time).SetUtcNow(new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        var doctor = await Database.NewUserAsync("doctor");
        await SignInAsync(doctor);
        return (doctor, today);
    }

    Task<int> VisitAsync(string doctor, DateOnly day, int hour, string status, string patient = John) =>
        InsertAppointmentAsync(Database, status, day, new TimeOnly(hour, 0), patient, doctor);

    async Task<IRenderedComponent<TodayView>> RenderTodayAsync(int rows)
    {
        Render<MudPopoverProvider>();
        var cut = Render<TodayView>();
        await cut.WaitForAssertionAsync(() => Assert.Equal(rows, Rows(cut).Count));
        return cut;
    }

    static IReadOnlyList<IElement> Rows(IRenderedComponent<TodayView> cut) => cut.FindAll("#today-visits .today-visit");

    static string[] Statuses(IRenderedComponent<TodayView> cut) => [.. Rows(cut).Select(r => r.GetAttribute("data-status")!)];

    [Fact]
    public async Task TodayShowsEveryVisitOfTheDayInTimeOrderWhateverItsStatus()
    {
        var (doctor, today) = await NewDayAsync();
        await VisitAsync(doctor, today, 15, "completed");
        await VisitAsync(doctor, today, 9, "cancelled");
        await VisitAsync(doctor, today, 11, "no_show");
        await VisitAsync(doctor, today, 10, "scheduled");
        await VisitAsync(doctor, today, 14, "in_progress");
        await VisitAsync(doctor, today, 13, "confirmed");
        await VisitAsync(doctor, today.AddDays(1), 9, "scheduled");
        await VisitAsync(doctor, today.AddDays(-1), 9, "completed");

        var cut = await RenderTodayAsync(6);

        Assert.Equal(["cancelled", "scheduled", "no_show", "confirmed", "in_progress", "completed"], Statuses(cut));
        Assert.Equal(["09:00", "10:00", "11:00", "13:00", "14:00", "15:00"], Rows(cut).Select(r => r.QuerySelector(".today-time b")!.TextContent.Trim()));
        Assert.Equal(["Cancelled", "Scheduled", "No-show", "Confirmed", "In progress", "Completed"],
            Rows(cut).Select(r => r.QuerySelector(".status-chip")!.TextContent.Trim()));
    }

    [Fact]
    public async Task ACountChipFiltersTodayToItsStatusAndSaysItIsPressed()
    {
        var (doctor, today) = await NewDayAsync();
        await VisitAsync(doctor, today, 9, "completed");
        await VisitAsync(doctor, today, 10, "completed");
        await VisitAsync(doctor, today, 11, "scheduled");
        var cut = await RenderTodayAsync(3);
        await cut.WaitForAssertionAsync(() => Assert.Equal("2", cut.Find("#today-counts [data-status='completed'] b").TextContent.Trim()));

        await cut.Find("#today-counts [data-status='completed']").ClickAsync(new());

        await cut.WaitForAssertionAsync(() =>
        {
            Assert.Equal(["completed", "completed"], Statuses(cut));
            Assert.Equal("true", cut.Find("#today-counts [data-status='completed']").GetAttribute("aria-pressed"));
            Assert.Equal("false", cut.Find("#today-counts [data-status='scheduled']").GetAttribute("aria-pressed"));
        });

        await cut.Find("#today-counts [data-status='no_show']").ClickAsync(new());
        await cut.WaitForAssertionAsync(() => Assert.Equal("No no-show visits today.", cut.Find("#today-empty").TextContent.Trim()));

        await cut.Find("#today-counts [data-status='no_show']").ClickAsync(new());
        await cut.WaitForAssertionAsync(() => Assert.Equal(3, Rows(cut).Count));
        Assert.All(cut.FindAll("#today-counts [data-status]"), chip => Assert.Equal("false", chip.GetAttribute("aria-pressed")));
    }

    [Fact]
    public async Task TheFirstVisitStillToDoIsMarkedNextWithItsChartAndACompletedVisitStaysInToday()
    {
        var (doctor, today) = await NewDayAsync();
        await VisitAsync(doctor, today, 9, "completed");
        await VisitAsync(doctor, today, 10, "no_show");
        var next = await VisitAsync(doctor, today, 11, "in_progress");
        await VisitAsync(doctor, today, 15, "scheduled", Emily);
        var cut = await RenderTodayAsync(4);

        var marked = Assert.Single(Rows(cut), r => r.QuerySelector(".next-marker") is not null);
        Assert.Equal(next.ToString(System.Globalization.CultureInfo.InvariantCulture), marked.GetAttribute("data-appointment-id"));
        Assert.Contains("today-next", marked.ClassName);
        Assert.Equal($"/doctor/patients/{await Database.UserIdAsync(John)}", marked.QuerySelector(".next-open")!.GetAttribute("href"));

        // Completing it keeps it in Today, as completed; the 15:00 visit is next.
        var workspace = await SignedInAsync(Database, doctor, Time);
        var visit = await workspace.Appointments.GetAsync(next);
        await workspace.Appointments.MoveAsync(next, "completed", visit.UpdatedAt);
        await cut.InvokeAsync(() => cut.Instance.RefreshAsync());

        await cut.WaitForAssertionAsync(() => Assert.Equal(["completed", "no_show", "completed", "scheduled"], Statuses(cut)));
        var nowNext = Assert.Single(Rows(cut), r => r.QuerySelector(".next-marker") is not null);
        Assert.Contains("Emily Johnson", nowNext.TextContent);
    }

    [Fact]
    public async Task ATodayRowShowsThePatientsCriticalReadingAndAllergiesAsFlagsInWords()
    {
        var (doctor, today) = await NewDayAsync();
        await VisitAsync(doctor, today, 10, "confirmed");
        await InsertReadingAsync(Database, 150, "182/121");

        var cut = await RenderTodayAsync(1);

        await cut.WaitForAssertionAsync(() =>
        {
            var row = Rows(cut)[0];
            Assert.Contains("Critical: HR 150, BP 182/121", row.QuerySelector(".flag-critical")!.TextContent);
            Assert.Contains("Allergies: Penicillin", row.QuerySelector(".flag-allergies")!.TextContent);
            Assert.NotNull(row.QuerySelector("[data-action='acknowledge']"));
        });
    }
}
