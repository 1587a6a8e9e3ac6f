using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Home;
using MediConnect.Portal.Features.Shared.Live;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MediConnect.Portal.Tests.Features.Patient.Home;

/// <summary>
/// The patient's home page on screen while the doctor works elsewhere: the real triggers publish,
/// the real listener hands the events to the page's hub, and the cards change without a reload.
/// </summary>
public sealed class PatientHomePageTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    [Fact]
    public async Task ThePrescriptionTheDoctorActivatesAndHerMessageAppearOnTheOpenHomePage()
    {
        await using var listening = await RunningListener.StartAsync(Database, Services.GetRequiredService<LiveEventHub>());
        var john = (await SignInAsync(Demo.John)).User!;
        var smith = await Database.UserIdAsync(Demo.Smith);
        Render<MudPopoverProvider>();
        var page = Render<PatientHomePage>();
        await page.WaitForAssertionAsync(() => Assert.NotNull(page.Find("#active-prescriptions")), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("Rosuvastatin 10 mg", page.Find("#active-prescriptions").TextContent);
        var unread = page.Find(".home-unread-messages").TextContent.Trim();

        await Database.DataSource.ExecuteAsync("""
            INSERT INTO prescriptions (patient_id, doctor_id, medication, dosage, frequency, status)
            VALUES (@john, @smith, 'Rosuvastatin', '10 mg', 'Once daily at night', 'active')
            """, new { john = john.Id, smith });
        await Database.DataSource.ExecuteAsync("""
            INSERT INTO messages (sender_id, recipient_id, subject, body)
            VALUES (@smith, @john, 'Your cholesterol', 'I started you on rosuvastatin.')
            """, new { john = john.Id, smith });

        await page.WaitForAssertionAsync(() =>
        {
            Assert.Contains("Rosuvastatin 10 mg", page.Find("#active-prescriptions").TextContent);
            Assert.NotEqual(unread, page.Find(".home-unread-messages").TextContent.Trim());
        }, TimeSpan.FromSeconds(30));
    }
}
