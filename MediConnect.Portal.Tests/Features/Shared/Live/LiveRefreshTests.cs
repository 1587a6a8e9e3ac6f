using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Home;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MediConnect.Portal.Tests.Features.Shared.Live;

/// <summary>Pages subscribe while on screen and let go when they leave; an event reloads what they show.</summary>
public sealed class LiveRefreshTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    LiveEventHub Hub => Services.GetRequiredService<LiveEventHub>();

    [Fact]
    public async Task AThousandPageOpensLeaveNoSubscriptionBehind()
    {
        await SignInAsync(Demo.Smith);
        Render<MudPopoverProvider>();
        Func<IComponent>[] pages =
        [
            () => Render<DoctorHome>().Instance,
            () => Render<MessagesPage>().Instance,
            () => Render<NotificationsPage>().Instance,
            () => Render<NotificationsBell>().Instance,
            () => Render<UnreadMessagesBadge>().Instance,
        ];

        for (var open = 0; open < 1_000; open++)
        {
            pages[open % pages.Length]();
            Assert.True(Hub.Status is { Circuits: 1, Subscriptions: > 0 }, $"page open {open} did not subscribe");
            await DisposeComponentsAsync();
            Render<MudPopoverProvider>();
        }

        Assert.Equal((0, 0), (Hub.Status.Circuits, Hub.Status.Subscriptions));
    }

    [Fact]
    public async Task ABookingElsewhereAppearsOnTheDoctorsListHighlightedAndInTodaysCounts()
    {
        var smith = (await SignInAsync(Demo.Smith)).User!;
        Render<MudPopoverProvider>();
        var page = Render<DoctorHome>();
        await page.WaitForAssertionAsync(() => Assert.NotEmpty(page.FindAll("#appointment-table tbody tr.mud-table-row")), TimeSpan.FromSeconds(30));
        var scheduledToday = ScheduledToday(page);

        var john = await Database.UserIdAsync(Demo.John);
        var id = await Database.DataSource.InsertReturningAsync<int>("""
            INSERT INTO appointments (patient_id, doctor_id, appointment_date, appointment_time, reason)
            VALUES (@john, @doctor, CURRENT_DATE, '23:15', 'Booked on another portal instance')
            RETURNING id
            """, new { john, doctor = smith.Id });
        Hub.Publish(new LiveEvent("appointments", "insert") { Id = id, PatientId = john, DoctorId = smith.Id });

        await page.WaitForAssertionAsync(() =>
        {
            var rows = page.FindAll("#appointment-table tbody tr.mud-table-row");
            var row = rows.SingleOrDefault(r => r.TextContent.Contains("Booked on another portal instance"));
            Assert.True(row is not null, string.Join("\n", rows.Select(r => r.TextContent)));
            Assert.Contains("live-changed", row.ClassName);
            Assert.Equal(scheduledToday + 1, ScheduledToday(page));
        }, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ADoctorsListIgnoresAnotherDoctorsAppointments()
    {
        var smith = (await SignInAsync(Demo.Smith)).User!;
        Render<MudPopoverProvider>();
        var loads = 0;
        using var counting = Services.GetRequiredService<LiveUpdates>().Subscribe([LiveTopic.Appointment], _ => { Interlocked.Increment(ref loads); return Task.CompletedTask; });
        var page = Render<DoctorHome>();
        await page.WaitForAssertionAsync(() => Assert.NotEmpty(page.FindAll("#appointment-table tbody tr.mud-table-row")), TimeSpan.FromSeconds(30));
        var before = page.Find("#appointment-table").TextContent;

        // Dr. Chen's visit with John (Smith's patient): Smith may know of it (the chart shows it), her list does not show it.
        Hub.Publish(new LiveEvent("appointments", "update") { Id = 1, PatientId = await Database.UserIdAsync(Demo.John), DoctorId = await Database.UserIdAsync(Demo.Chen) });
        await Wait.UntilAsync(() => loads == 1, "the event to reach the circuit");

        Assert.DoesNotContain("live-changed", page.Find("#appointment-table").InnerHtml);
        Assert.Equal(before, page.Find("#appointment-table").TextContent);
    }

    static int ScheduledToday(IRenderedComponent<DoctorHome> page) =>
        int.Parse(page.Find("#today-counts [data-status='scheduled'] b").TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
