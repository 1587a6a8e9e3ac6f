using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Patient.Health;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Features.Doctor;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Patient.Health;

/// <summary>"Report a correction" on the real database: the right doctor gets the patient's words as a message, bad text sends nothing.</summary>
public sealed class CorrectionRequestsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    const string WhatIsWrong = "I am not allergic to penicillin; it was amoxicillin that gave me a rash.";

    sealed record Sent(int SenderId, int RecipientId, string Subject, string Body);

    async Task<CorrectionRequests> AsAsync(string email) => new(database.DataSource, await database.SignedInAsync(email));

    Task<Sent?> MessageAsync(int id) =>
        database.DataSource.QueryOneAsync<Sent>("SELECT sender_id, recipient_id, subject, body FROM messages WHERE id = @id", new { id });

    Task<long> MessagesFromAsync(int senderId) =>
        database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM messages WHERE sender_id = @senderId", new { senderId });

    static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    Task InsertPrescriptionAsync(string patient, string doctor, DateOnly prescribed) =>
        database.DataSource.ExecuteAsync("""
            INSERT INTO prescriptions (patient_id, doctor_id, medication, dosage, frequency, status, prescribed_date)
            VALUES ((SELECT id FROM users WHERE email = @patient), (SELECT id FROM users WHERE email = @doctor), 'Lisinopril', '10 mg', 'once daily', 'active', @prescribed)
            """, new { patient, doctor, prescribed });

    [Fact]
    public async Task TheCorrectionReachesTheDoctorWhoRecordedTheItemWithThePatientsWords()
    {
        var john = await database.UserIdAsync(John);
        var smith = await database.UserIdAsync(Smith);

        var id = await (await AsAsync(John)).SendAsync("Allergy: Penicillin", smith, WhatIsWrong);

        var message = await MessageAsync(id);
        Assert.NotNull(message);
        Assert.Equal((john, smith), (message.SenderId, message.RecipientId));
        Assert.Equal("Correction requested: Allergy: Penicillin", message.Subject);
        Assert.Contains(WhatIsWrong, message.Body);
        Assert.Contains("Item: Allergy: Penicillin", message.Body);
        Assert.Equal(1, await DoctorWorkspace.AuditCountAsync(database, "messages", id));
    }

    [Fact]
    public async Task ARecordingDoctorWhoDoesNotCareForThePatientIsPassedOverForTheirLatestDoctor()
    {
        var patient = await database.NewUserAsync(Roles.Patient);
        var stranger = await database.UserIdAsync(await database.NewUserAsync(Roles.Doctor));
        await DoctorWorkspace.InsertAppointmentAsync(database, "completed", Today.AddDays(-30), patient: patient, doctor: Chen);

        var id = await (await AsAsync(patient)).SendAsync("Medication: Lisinopril 10 mg", stranger, WhatIsWrong);

        Assert.Equal(await database.UserIdAsync(Chen), (await MessageAsync(id))!.RecipientId);
    }

    [Fact]
    public async Task WithoutARecordingDoctorTheLatestOfVisitsAndPrescriptionsDecides()
    {
        var patient = await database.NewUserAsync(Roles.Patient);
        await DoctorWorkspace.InsertAppointmentAsync(database, "completed", Today.AddDays(-400), patient: patient, doctor: Smith);
        await InsertPrescriptionAsync(patient, Patel, Today.AddDays(-10));

        var id = await (await AsAsync(patient)).SendAsync("Medication: Lisinopril 10 mg", null, WhatIsWrong);

        Assert.Equal(await database.UserIdAsync(Patel), (await MessageAsync(id))!.RecipientId);
    }

    [Fact]
    public async Task ACancelledVisitOrAClosedDoctorAccountDoesNotMakeThemTheRecipient()
    {
        var patient = await database.NewUserAsync(Roles.Patient);
        var leftEmail = await database.NewUserAsync(Roles.Doctor);
        var left = await database.UserIdAsync(leftEmail);
        await DoctorWorkspace.InsertAppointmentAsync(database, "completed", Today.AddDays(-200), patient: patient, doctor: Okafor);
        await DoctorWorkspace.InsertAppointmentAsync(database, "cancelled", Today.AddDays(-20), patient: patient, doctor: Chen);
        await DoctorWorkspace.InsertAppointmentAsync(database, "completed", Today.AddDays(-10), patient: patient, doctor: leftEmail);
        await database.DataSource.ExecuteAsync("UPDATE users SET is_active = false WHERE id = @left", new { left });

        var id = await (await AsAsync(patient)).SendAsync("Allergy: Latex", left, WhatIsWrong);

        Assert.Equal(await database.UserIdAsync(Okafor), (await MessageAsync(id))!.RecipientId);
    }

    [Theory]
    [InlineData("", "Say what is wrong, and what it should say.")]
    [InlineData("   ", "Say what is wrong, and what it should say.")]
    [InlineData("Wrong\0dose", "What is wrong contains an invisible control character")]
    public async Task BadTextIsRefusedWithAFieldMessageAndNothingIsSent(string text, string message)
    {
        var john = await database.UserIdAsync(John);
        var before = await MessagesFromAsync(john);

        var e = await Assert.ThrowsAsync<FieldValidationException>(async () =>
            await (await AsAsync(John)).SendAsync("Allergy: Penicillin", null, text));

        Assert.StartsWith(message, e.Errors["whatIsWrong"]);
        Assert.Equal(before, await MessagesFromAsync(john));
    }

    [Fact]
    public async Task TooLongTextIsRefusedNotCut()
    {
        var john = await database.UserIdAsync(John);
        var before = await MessagesFromAsync(john);

        var e = await Assert.ThrowsAsync<FieldValidationException>(async () =>
            await (await AsAsync(John)).SendAsync("Allergy: Penicillin", null, new string('x', 2001)));

        Assert.Equal("What is wrong can be at most 2000 characters; this is 2001.", e.Errors["whatIsWrong"]);
        Assert.Equal(before, await MessagesFromAsync(john));
    }

    [Fact]
    public async Task APatientWithoutADoctorIsToldToBookAVisitFirst()
    {
        var patient = await database.NewUserAsync(Roles.Patient);

        var e = await Assert.ThrowsAsync<BusinessRuleException>(async () =>
            await (await AsAsync(patient)).SendAsync("Allergy: Penicillin", null, WhatIsWrong));

        Assert.Equal(CorrectionRequests.NoDoctorMessage, e.Message);
        Assert.Equal(0, await MessagesFromAsync(await database.UserIdAsync(patient)));
    }

    [Fact]
    public async Task OnlyAPatientSendsACorrection()
    {
        var requests = await AsAsync(Smith);

        await Assert.ThrowsAsync<AccessDeniedException>(() => requests.SendAsync("Allergy: Penicillin", null, WhatIsWrong));
    }
}
