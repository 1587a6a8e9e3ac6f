using System.Text;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Audit;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Features.Doctor.Records;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Features.Shared.Notifications;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.Vitals;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Features.Doctor.DoctorWorkspace;
using static MediConnect.Portal.Tests.Fixtures.Demo;

namespace MediConnect.Portal.Tests.Features.Admin.Audit;

/// <summary>What an admin reads in the audit log after clinical writes: who, what, which record and which fields, never the clinical content.</summary>
public sealed class AuditClinicalContentTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    static readonly string[] Typed =
    [
        "163/97", "Dizzy after the new tablets",
        "Light-headed on standing", "Suspected orthostatic hypotension", "Halve the amlodipine dose", "Recheck in two weeks",
        "Midodrine", "2.5 mg", "Before getting up in the morning",
        "Your blood pressure results", "Please stop the evening tablet",
        "Fainted twice at home",
    ];

    async Task<AuditBrowser> AdminsAuditAsync()
    {
        var admin = await database.SignedInAsync(SignIn.AdminEmail);
        return new AuditBrowser(database.DataSource, database.Reads, admin, new AuditLog(admin), TimeProvider.System);
    }

    [Fact]
    public async Task AfterClinicalWritesTheAdminsAuditShowsWhoWhatWhichRecordAndWhichFieldsButNoClinicalValue()
    {
        var john = await database.UserIdAsync(John);
        var johnUser = await database.SignedInAsync(John);
        var smith = await SignedInAsync(database, Smith);
        var smithUser = await database.SignedInAsync(Smith);
        var from = DateOnly.FromDateTime(DateTime.UtcNow);
        var appointment = await InsertAppointmentAsync(database, "completed");

        var reading = await new VitalSignsRecorder(database.DataSource, johnUser, Demo.Audit(johnUser), Demo.CareTeam(database), TimeProvider.System)
            .RecordAsync(new VitalReadingInput(BloodPressure: new BloodPressure(163, 97), GlucoseLevel: 271, Notes: "Dizzy after the new tablets"));
        var record = await smith.Notes.SaveAsync(new NoteDraft
        {
            PatientUserId = john, AppointmentId = appointment,
            ChiefComplaint = "Light-headed on standing", Diagnosis = "Suspected orthostatic hypotension", TreatmentPlan = "Halve the amlodipine dose",
        });
        var edit = NoteDraft.From(record);
        edit.Notes = "Recheck in two weeks";
        await smith.Notes.SaveAsync(edit);
        var prescription = await smith.Prescriptions.PrescribeAsync(new PrescriptionDraft
        {
            PatientUserId = john, Medication = "Midodrine", Dosage = "2.5 mg", Frequency = "Three times daily", Quantity = 90,
            Instructions = "Before getting up in the morning", ExpirationDate = DateTime.Today.AddMonths(3),
        });
        var message = await new MessageService(database.DataSource, smithUser, Demo.Audit(smithUser), Demo.CareTeam(database), new UnreadCounts())
            .SendAsync(new ComposeMessage { RecipientId = john, Subject = "Your blood pressure results", Body = "Please stop the evening tablet" });
        var seen = await database.DataSource.QueryOneAsync<DateTime>("SELECT updated_at FROM appointments WHERE id = @appointment", new { appointment });
        await smith.Appointments.SaveNotesAsync(appointment, "Fainted twice at home", seen);

        var audit = await AdminsAuditAsync();
        using var output = new MemoryStream();
        await audit.ExportCsvAsync(new AuditQuery(From: from), output);
        var csv = Encoding.UTF8.GetString(output.ToArray());
        var rows = (await audit.SearchAsync(new AuditQuery(From: from, PageSize: 200))).Items;
        var details = new List<AuditDetail>();
        foreach (var row in rows)
            details.Add((await audit.GetAsync(row.Id))!);
        var shown = csv + string.Join("\n", details.Select(d => d.OldValues + d.NewValues));

        foreach (var value in Typed)
            Assert.DoesNotContain(value, shown, StringComparison.OrdinalIgnoreCase);
        AuditDetail Entry(string action, object id) => details.Single(d => d.Action == action && d.EntityId == id.ToString());
        var vital = Entry("vital_signs_create", reading.Id);
        Assert.Equal(John, vital.UserEmail);
        Assert.DoesNotContain("271", vital.NewValues);
        Assert.Contains("\"bloodPressure\"", vital.NewValues);
        Assert.Contains("\"glucoseLevel\"", vital.NewValues);
        Assert.Contains("\"notes\"", vital.NewValues);
        var created = Entry("medical_record_create", record.Id);
        Assert.Equal(Smith, created.UserEmail);
        Assert.Contains("\"diagnosis\"", created.NewValues);
        Assert.Contains("\"treatmentPlan\"", created.NewValues);
        Assert.Contains("\"changed\":[\"notes\"]", Entry("medical_record_update", record.Id).NewValues!.Replace(" ", ""));
        var prescribed = Entry("prescription_create", prescription.Id);
        Assert.Contains("\"medication\"", prescribed.NewValues);
        Assert.Contains("\"status\":\"pending\"", prescribed.NewValues!.Replace(" ", ""));
        Assert.Contains("\"subject\"", Entry("message_send", message).NewValues);
        Assert.Contains("\"changed\":[\"notes\"]", Entry("appointment_notes_update", appointment).NewValues!.Replace(" ", ""));
    }

    [Fact]
    public async Task ClinicalValuesWrittenBeforeTheRuleStayInTheTableButTheAdminSeesOnlyTheirFieldNames()
    {
        var smith = await database.UserIdAsync(Smith);
        var id = await database.DataSource.QueryOneAsync<long>("""
            INSERT INTO audit_log (user_id, action, entity_type, entity_id, old_values, new_values, ip_address)
            VALUES (@smith, 'medical_record_update', 'medical_record', '424242',
                    '{"diagnosis": "Early Parkinson disease", "appointmentId": 7}', '{"diagnosis": "Essential tremor", "appointmentId": 7}', '10.1.2.3')
            RETURNING id
            """, new { smith });
        var audit = await AdminsAuditAsync();

        var detail = (await audit.GetAsync(id))!;
        using var output = new MemoryStream();
        await audit.ExportCsvAsync(new AuditQuery(Action: "medical_record_update"), output);
        var csv = Encoding.UTF8.GetString(output.ToArray());

        Assert.Equal("{\"diagnosis\":\"(clinical content, not shown)\",\"appointmentId\":7}", detail.OldValues);
        Assert.DoesNotContain("Parkinson", csv);
        Assert.DoesNotContain("tremor", csv);
        Assert.Contains("424242", csv);
        Assert.Contains("diagnosis", csv);
        Assert.Equal("{\"diagnosis\": \"Essential tremor\", \"appointmentId\": 7}",
            await database.DataSource.QueryOneAsync<string>("SELECT new_values::text FROM audit_log WHERE id = @id", new { id })); // append-only: the row itself is unchanged
    }
}
