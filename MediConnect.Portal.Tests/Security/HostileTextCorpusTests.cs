using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Users;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Security;

/// <summary>
/// A table of hostile and odd text sent through the real services (the path every form's save
/// takes) into the real database: each gets a clear message naming the field, never a database
/// error, and nothing is written.
/// </summary>
public sealed class HostileTextCorpusTests(TestDatabase database) : DatabaseComponentTest(database), IClassFixture<TestDatabase>
{
    // Refused in every field, multi-line or not. (Vertical tab, form feed and NEL count as white
    // space: alone they trim away to a blank value, so they are tested inside text.)
    static readonly string[] Controls =
    [
        "\0", "before\0after", "\u0001", "\u0007bell", "\u0008", "a\u000Bb", "a\u000Cb", "\u001B[31mred", "\u007F", "a\u0085b", "\u009B",
        "broken \uD800 surrogate", "broken \uDC00 surrogate",
    ];

    // Refused where text must fit on one line.
    static readonly string[] LineBreaks = ["two\nlines", "carriage\rreturn", "tab\there"];

    // Refused in names, emails and subjects: they reorder text on screen.
    static readonly string[] DirectionMarks =
        ["\u202Egnp.exe", "\u202A", "\u202B", "\u202C", "\u202D", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"];

    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        foreach (var value in Controls.Append(new string('x', 1001)))
            data.Add("vitals notes", value);
        foreach (var value in Controls.Append(new string('x', 5001)))
            data.Add("message body", value);
        foreach (var field in new[] { "message subject", "admin user name", "admin user email" })
            foreach (var value in Controls.Concat(LineBreaks).Concat(DirectionMarks).Append(new string('x', 300)))
                data.Add(field, field.EndsWith("email", StringComparison.Ordinal) ? $"x{value}@example.org" : value);
        return data;
    }

    [Fact]
    public void TheCorpusHoldsAtLeastAHundredBadInputs() => Assert.True(Corpus().Count >= 100, $"{Corpus().Count} inputs");

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task HostileTextGetsAFieldMessageAndChangesNothing(string field, string value)
    {
        var before = await RowCountsAsync();

        var error = await Record.ExceptionAsync(() => SaveAsync(field, value));

        var message = error switch
        {
            FieldValidationException e => Assert.Single(e.Errors).Value,
            BusinessRuleException e => e.Message,
            _ => throw new Xunit.Sdk.XunitException($"Expected a field message, got {error?.GetType().Name ?? "no error"}: {error}"),
        };
        Assert.Matches("control character|one line|reorders text|broken character|at most", message);
        Assert.Equal(before, await RowCountsAsync());
    }

    Task<long> RowCountsAsync() => Database.DataSource.QueryOneAsync<long>(
        "SELECT (SELECT count(*) FROM vital_signs) * 1000000 + (SELECT count(*) FROM messages) * 1000 + (SELECT count(*) FROM users)");

    async Task SaveAsync(string field, string value)
    {
        switch (field)
        {
            case "vitals notes":
                await SignInAsync(Demo.Emily);
                await Services.GetRequiredService<VitalSignsRecorder>().RecordAsync(new VitalReadingInput(HeartRate: 72, Notes: value));
                break;
            case "message subject" or "message body":
                await SignInAsync(Demo.Emily);
                var messages = Services.GetRequiredService<MessageService>();
                var recipient = (await messages.RecipientsAsync())[0];
                await messages.SendAsync(new ComposeMessage
                {
                    RecipientId = recipient.Id,
                    Subject = field == "message subject" ? value : "Question",
                    Body = field == "message body" ? value : "Hello",
                });
                break;
            default:
                await SignInAsync(Demo.Admin);
                await Services.GetRequiredService<UserAdminService>().CreateAsync(new NewUser(
                    field == "admin user email" ? value : "new.person@example.org",
                    field == "admin user name" ? value : "New Person",
                    Roles.Patient, null, null, "Corpus2024!Strong"));
                break;
        }
    }
}
