using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Tests.Fixtures;
using MudBlazor;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Appointments;

public sealed class AppointmentActionsTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    async Task<DoctorAppointment> LoadAsync(int id) => await (await SignedInAsync(Database, Smith)).Appointments.GetAsync(id);

    IRenderedComponent<AppointmentActions> RenderActions(DoctorAppointment appointment, List<DoctorAppointment> changes) =>
        Render<AppointmentActions>(p => p
            .Add(a => a.Appointment, appointment)
            .Add(a => a.Changed, (DoctorAppointment a) => changes.Add(a)));

    static string[] Actions(IRenderedComponent<AppointmentActions> cut) =>
        [.. cut.FindAll("button[data-action]").Select(b => b.GetAttribute("data-action")!)];

    [Fact]
    public async Task AScheduledAppointmentOffersConfirmAndCancelOnly()
    {
        await SignInAsync(Smith);
        var appointment = await LoadAsync(await InsertAppointmentAsync(Database, "scheduled"));

        var cut = RenderActions(appointment, []);

        Assert.Equal(["confirmed", "cancelled", "visit-notes", "prescribe"], Actions(cut));
        Assert.Equal("Confirm", cut.Find("button[data-action='confirmed']").TextContent.Trim());
    }

    [Fact]
    public async Task AnInProgressVisitOffersCompleteAndTheConsultationNote()
    {
        await SignInAsync(Smith);
        var appointment = await LoadAsync(await InsertAppointmentAsync(Database, "in_progress"));

        var cut = RenderActions(appointment, []);

        Assert.Equal(["completed", "visit-notes", "consultation-note", "prescribe"], Actions(cut));
    }

    [Fact]
    public async Task APastSlotAlsoOffersNoShow()
    {
        await SignInAsync(Smith);
        var id = await InsertAppointmentAsync(Database, "confirmed", DateOnly.FromDateTime(DateTime.Today).AddDays(-20), new TimeOnly(9, 0));

        var cut = RenderActions(await LoadAsync(id), []);

        Assert.Contains("no_show", Actions(cut));
    }

    [Fact]
    public async Task ClickingConfirmConfirmsTheAppointmentInOneClick()
    {
        await SignInAsync(Smith);
        var id = await InsertAppointmentAsync(Database, "scheduled");
        var changes = new List<DoctorAppointment>();
        var cut = RenderActions(await LoadAsync(id), changes);

        await cut.Find("button[data-action='confirmed']").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Equal("confirmed", Assert.Single(changes).Status));
        Assert.Equal("confirmed", (await LoadAsync(id)).Status);
    }

    [Fact]
    public async Task AClickOnAStaleAppointmentReportsTheFreshStateInsteadOfOverwriting()
    {
        await SignInAsync(Smith);
        var id = await InsertAppointmentAsync(Database, "scheduled");
        var stale = await LoadAsync(id);
        await Database.DataSource.ExecuteAsync("UPDATE appointments SET status = 'confirmed' WHERE id = @id", new { id });
        var changes = new List<DoctorAppointment>();
        var cut = RenderActions(stale, changes);

        await cut.Find("button[data-action='confirmed']").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Equal("confirmed", Assert.Single(changes).Status));
        Assert.True(changes[0].UpdatedAt > stale.UpdatedAt);
    }

    [Fact]
    public async Task CancellingAsksForAReasonFirst()
    {
        await SignInAsync(Smith);
        var id = await InsertAppointmentAsync(Database, "confirmed");
        var changes = new List<DoctorAppointment>();
        var dialogs = Render<MudDialogProvider>();
        var cut = RenderActions(await LoadAsync(id), changes);

        // The click's handler awaits the dialog's answer: it completes only once the dialog closes.
        var cancelling = cut.Find("button[data-action='cancelled']").ClickAsync(new());
        await (await dialogs.WaitForElementAsync("#reason-submit")).ClickAsync(new());
        await dialogs.WaitForAssertionAsync(() => Assert.Contains("Please give a reason", dialogs.Markup));
        Assert.Empty(changes);

        await dialogs.Find("#reason-input").InputAsync("Doctor called away");
        await dialogs.Find("#reason-submit").ClickAsync(new());
        await cancelling;

        await cut.WaitForAssertionAsync(() => Assert.Equal("cancelled", Assert.Single(changes).Status));
        Assert.Equal("Doctor called away", (await LoadAsync(id)).CancellationReason);
    }
}
