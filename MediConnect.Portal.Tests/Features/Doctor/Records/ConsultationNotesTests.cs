using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Features.Doctor.Records;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Doctor.Records;

public sealed class ConsultationNotesTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task ANoteIsLinkedToItsAppointmentAndAudited()
    {
        var john = await database.UserIdAsync(John);
        var appointment = await InsertAppointmentAsync(database, "completed");
        var notes = (await SignedInAsync(database, Smith)).Notes;
        Assert.Null(await notes.ForAppointmentAsync(appointment));

        var saved = await notes.SaveAsync(new NoteDraft
        {
            PatientUserId = john,
            AppointmentId = appointment,
            ChiefComplaint = "Headaches in the morning",
            Diagnosis = "Essential hypertension, improving",
            TreatmentPlan = "Continue lisinopril 10 mg",
            Notes = "Recheck in 4 weeks.",
        });

        Assert.Equal(appointment, saved.AppointmentId);
        Assert.Equal("consultation", saved.RecordType);
        Assert.Equal("Dr. Sarah Smith", saved.DoctorName);
        Assert.Equal(saved.Id, (await notes.ForAppointmentAsync(appointment))!.Id);
        Assert.Equal(1, await AuditCountAsync(database, "medical_record", saved.Id));
    }

    [Fact]
    public async Task ANoteStartedFromAVisitStartsWithTheVisitsReasonAsChiefComplaint()
    {
        var john = await database.UserIdAsync(John);
        var appointment = await InsertAppointmentAsync(database, "in_progress");
        var notes = (await SignedInAsync(database, Smith)).Notes;

        var draft = await notes.DraftAsync(john, appointment);

        Assert.Equal("Test visit", draft.ChiefComplaint);
        Assert.Equal(appointment, draft.AppointmentId);
        Assert.Null(draft.Id);
        Assert.Null((await notes.DraftAsync(john, null)).ChiefComplaint);
    }

    [Fact]
    public async Task EditingTheNoteUpdatesTheSameRecordAndAuditsWhichFieldsChangedNotTheirText()
    {
        var john = await database.UserIdAsync(John);
        var appointment = await InsertAppointmentAsync(database, "completed");
        var notes = (await SignedInAsync(database, Smith)).Notes;
        var first = await notes.SaveAsync(new NoteDraft { PatientUserId = john, AppointmentId = appointment, Diagnosis = "Draft" });

        var draft = NoteDraft.From(first);
        draft.Diagnosis = "Final diagnosis";
        var second = await notes.SaveAsync(draft);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("Final diagnosis", second.Diagnosis);
        var audited = await database.DataSource.QueryOneAsync<string>(
            "SELECT coalesce(old_values::text, '') || new_values::text FROM audit_log WHERE action = 'medical_record_update' AND entity_id = @id",
            new { id = first.Id.ToString() });
        Assert.Contains("\"changed\": [\"diagnosis\"]", audited);
        Assert.DoesNotContain("Draft", audited);
        Assert.DoesNotContain("Final diagnosis", audited);
    }

    [Fact]
    public async Task AnEmptyNoteIsRefusedAndNothingIsWritten()
    {
        var john = await database.UserIdAsync(John);
        var appointment = await InsertAppointmentAsync(database, "completed");
        var notes = (await SignedInAsync(database, Smith)).Notes;

        var error = await Assert.ThrowsAsync<FieldValidationException>(() => notes.SaveAsync(new NoteDraft { PatientUserId = john, AppointmentId = appointment, Notes = "  " }));

        Assert.Contains("Notes", error.Errors.Keys);
        Assert.Null(await notes.ForAppointmentAsync(appointment));
    }

    [Fact]
    public async Task ANoteCannotBeAttachedToAnotherDoctorsAppointmentOrPatient()
    {
        var john = await database.UserIdAsync(John);
        var emily = await database.UserIdAsync("emily.johnson@mediconnect.demo");
        var chens = await InsertAppointmentAsync(database, "completed", doctor: "dr.chen@mediconnect.demo");
        var smiths = await InsertAppointmentAsync(database, "completed");
        var notes = (await SignedInAsync(database, Smith)).Notes;

        await Assert.ThrowsAsync<AccessDeniedException>(() => notes.SaveAsync(new NoteDraft { PatientUserId = john, AppointmentId = chens, Notes = "x" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => notes.SaveAsync(new NoteDraft { PatientUserId = emily, Notes = "x" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => notes.ForAppointmentAsync(chens));
        Assert.Equal(0, await database.DataSource.QueryOneAsync<long>("SELECT count(*) FROM medical_records WHERE appointment_id IN (@chens, @smiths)", new { chens, smiths }));
    }
}
