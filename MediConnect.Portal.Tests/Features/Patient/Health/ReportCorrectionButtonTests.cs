using Bunit;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Health;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MediConnect.Portal.Tests.Features.Patient.Health;

/// <summary>The "Report a correction" button as a patient uses it: the words reach the doctor, bad text is refused on the field and nothing is sent.</summary>
public sealed class ReportCorrectionButtonTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    const string Label = "What is wrong?";

    Task<long> MessagesFromAsync(int senderId) =>
        Database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM messages WHERE sender_id = @senderId", new { senderId });

    async Task<IRenderedComponent<ReportCorrectionButton>> OpenAsync(int? doctorId)
    {
        var cut = Render<ReportCorrectionButton>(p => p.Add(c => c.Item, "Allergy: Penicillin").Add(c => c.DoctorId, doctorId));
        await cut.Find("[data-action=report-correction]").ClickAsync(new());
        return cut;
    }

    Task TypeAsync(IRenderedComponent<ReportCorrectionButton> cut, string text)
    {
        var field = cut.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == Label).Instance;
        return cut.InvokeAsync(() => field.ValueChanged.InvokeAsync(text));
    }

    [Fact]
    public async Task ThePatientsWordsReachTheDoctorAndTheFormCloses()
    {
        var john = (await SignInAsync(Demo.John)).User!.Id;
        var smith = await Database.UserIdAsync(Demo.Smith);
        var cut = await OpenAsync(smith);

        await TypeAsync(cut, "It was amoxicillin, not penicillin.");
        await cut.Find("[data-action=send-correction]").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.NotEmpty(cut.FindAll("[data-action=report-correction]")));
        var snackbar = Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        Assert.Equal("Sent to your doctor. Their answer will be in Messages.", snackbar.Message);
        var body = await Database.DataSource.QueryOneAsync<string>(
            "SELECT body FROM messages WHERE sender_id = @john AND recipient_id = @smith ORDER BY id DESC LIMIT 1", new { john, smith });
        Assert.Contains("It was amoxicillin, not penicillin.", body);
    }

    [Fact]
    public async Task AnEmptyCorrectionIsRefusedOnTheFieldAndNothingIsSent()
    {
        var john = (await SignInAsync(Demo.John)).User!.Id;
        var before = await MessagesFromAsync(john);
        var cut = await OpenAsync(null);

        await cut.Find("[data-action=send-correction]").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Contains("Say what is wrong, and what it should say.", cut.Find(".report-correction").TextContent));
        Assert.Empty(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        Assert.Equal(before, await MessagesFromAsync(john));
    }

    [Fact]
    public async Task APatientWithoutADoctorReadsWhatToDoInstead()
    {
        await SignInAsync(await Database.NewUserAsync(Roles.Patient));
        var cut = await OpenAsync(null);

        await TypeAsync(cut, "The dose is wrong.");
        await cut.Find("[data-action=send-correction]").ClickAsync(new());

        await cut.WaitForAssertionAsync(() => Assert.Contains(CorrectionRequests.NoDoctorMessage, cut.Find(".report-correction").TextContent));
        Assert.Empty(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
    }
}
