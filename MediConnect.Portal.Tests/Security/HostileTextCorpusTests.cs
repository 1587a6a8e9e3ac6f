using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Admin.Users;
using MediConnect.Portal.Features.Doctor.Appointments;
using MediConnect.Portal.Features.Doctor.Prescriptions;
using MediConnect.Portal.Features.Doctor.Records;
using MediConnect.Portal.Features.Patient.Appointments;
using MediConnect.Portal.Features.Patient.Health;
using MediConnect.Portal.Features.Patient.Profile;
using MediConnect.Portal.Features.Patient.Vitals;
using MediConnect.Portal.Features.Shared.Immunizations;
using MediConnect.Portal.Features.Shared.Documents;
using MediConnect.Portal.Features.Shared.Messages;
using MediConnect.Portal.Features.Shared.ProblemList;
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
    internal static readonly string[] Controls =
    [
        "\0", "before\0after", "\u0001", "\u0007bell", "\u0008", "a\u000Bb", "a\u000Cb", "\u001B[31mred", "\u007F", "a\u0085b", "\u009B",
        "broken \uD800 surrogate", "broken \uDC00 surrogate",
    ];

    // Refused where text must fit on one line.
    internal static readonly string[] LineBreaks = ["two\nlines", "carriage\rreturn", "tab\there"];

    // Refused in names, emails and subjects: they reorder text on screen.
    internal static readonly string[] DirectionMarks =
        ["\u202Egnp.exe", "\u202A", "\u202B", "\u202C", "\u202D", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"];

    // Every free-text field of every form, by what it may hold, with one over-long value each (its limit + 1).
    static readonly (string Field, TextField Rule)[] Fields =
    [
        ("vitals notes", VitalReadingInput.NotesField),
        ("message subject", MessageService.Subject),
        ("message body", MessageService.Body),
        ("admin user name", AccountRules.Name),
        ("admin user email", AccountRules.Email),
        ("booking reason", PatientAppointmentService.Reason),
        ("appointment cancellation reason", PatientAppointmentService.CancelReason),
        ("visit notes", DoctorAppointments.VisitNotes),
        ("prescription medication", DoctorPrescriptions.Medication),
        ("prescription dosage", DoctorPrescriptions.Dosage),
        ("prescription frequency", DoctorPrescriptions.Frequency),
        ("prescription instructions", DoctorPrescriptions.Instructions),
        ("consultation chief complaint", ConsultationNotes.ChiefComplaint),
        ("consultation diagnosis", ConsultationNotes.Diagnosis),
        ("consultation notes", ConsultationNotes.Notes),
        ("profile address", ProfileFields.Address),
        ("profile city", ProfileFields.City),
        ("profile emergency contact", ProfileFields.ContactName),
        ("profile insurance member id", ProfileFields.InsuranceMemberId),
        ("immunization lot number", ImmunizationDraft.Lot),
        ("immunization site", ImmunizationDraft.SiteRule),
        ("immunization given at", ImmunizationDraft.Place),
        ("immunization notes", ImmunizationDraft.NotesRule),
        ("document file name", PatientDocuments.FileName),
        ("document description", PatientDocuments.Description),
        ("correction text", CorrectionRequests.WhatIsWrong),
        ("problem description", ProblemListService.Description),
        ("allergy substance", ProblemListService.Substance),
        ("allergy reaction", ProblemListService.Reaction),
    ];

    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        foreach (var (field, rule) in Fields)
        {
            var values = Controls.AsEnumerable();
            if (rule.Kind is TextKind.Line or TextKind.Identity)
                values = values.Concat(LineBreaks);
            if (rule.Kind is TextKind.Identity or TextKind.SharedLines)
                values = values.Concat(DirectionMarks);
            foreach (var value in values.Append(new string('x', rule.MaxLength + 1)))
                data.Add(field, field.EndsWith("email", StringComparison.Ordinal) ? $"x{value}@example.org" : value);
        }
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

    // Every row the forms write, whole: an update that slipped through changes it as surely as an insert.
    Task<string> RowCountsAsync() => Database.DataSource.QueryOneAsync<string>("""
        SELECT md5(concat_ws('|',
            (SELECT array_agg(t ORDER BY t.id)::text FROM users t),
            (SELECT array_agg(t ORDER BY t.id)::text FROM patients t),
            (SELECT array_agg(t ORDER BY t.id)::text FROM vital_signs t),
            (SELECT array_agg(t ORDER BY t.id)::text FROM appointments t),
            (SELECT array_agg(t ORDER BY t.id)::text FROM prescriptions t),
            (SELECT array_agg(t ORDER BY t.id)::text FROM messages t),
            (SELECT array_agg(t ORDER BY t.id)::text FROM medical_records t),
            (SELECT array_agg(t ORDER BY t.id)::text FROM notifications t),
            (SELECT array_agg(t ORDER BY t.id)::text FROM immunizations t),
            (SELECT array_agg(t ORDER BY t.id)::text FROM patient_problems t),
            (SELECT array_agg(t ORDER BY t.id)::text FROM patient_allergies t),
            (SELECT array_agg((t.id, t.file_name, t.description) ORDER BY t.id)::text FROM patient_documents t),
            (SELECT count(*) FROM audit_log)))
        """)!;

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
            case "correction text":
                await SignInAsync(Demo.Emily);
                await Services.GetRequiredService<CorrectionRequests>().SendAsync("Allergy: Penicillin", null, value);
                break;
            case "booking reason":
                await SignInAsync(Demo.Emily);
                await Services.GetRequiredService<PatientAppointmentService>().BookAsync(new BookingRequest(
                    await Database.UserIdAsync(Demo.Smith), Demo.QuietWednesday, new TimeOnly(10, 0), "Consultation", value));
                break;
            case "appointment cancellation reason":
                await SignInAsync(Demo.John);
                await Services.GetRequiredService<PatientAppointmentService>().CancelAsync(await AppointmentOfJohnAsync(), value);
                break;
            case "visit notes":
                await SignInAsync(Demo.Smith);
                await Services.GetRequiredService<DoctorAppointments>().SaveNotesAsync(await AppointmentOfJohnAsync(), value, DateTime.UtcNow);
                break;
            case var prescription when prescription.StartsWith("prescription", StringComparison.Ordinal):
                await SignInAsync(Demo.Smith);
                await Services.GetRequiredService<DoctorPrescriptions>().PrescribeAsync(new PrescriptionDraft
                {
                    PatientUserId = await Database.UserIdAsync(Demo.John),
                    Medication = field == "prescription medication" ? value : "Lisinopril",
                    Dosage = field == "prescription dosage" ? value : "10 mg",
                    Frequency = field == "prescription frequency" ? value : "Once daily",
                    Instructions = field == "prescription instructions" ? value : null,
                });
                break;
            case var note when note.StartsWith("consultation", StringComparison.Ordinal):
                await SignInAsync(Demo.Smith);
                await Services.GetRequiredService<ConsultationNotes>().SaveAsync(new NoteDraft
                {
                    PatientUserId = await Database.UserIdAsync(Demo.John),
                    ChiefComplaint = field == "consultation chief complaint" ? value : "Headaches",
                    Diagnosis = field == "consultation diagnosis" ? value : null,
                    Notes = field == "consultation notes" ? value : null,
                });
                break;
            case var profile when profile.StartsWith("profile", StringComparison.Ordinal):
                await SignInAsync(Demo.John);
                await Services.GetRequiredService<PatientProfileService>().UpdateAsync(new ProfileEdit
                {
                    Address = field == "profile address" ? value : "1 Main Street",
                    City = field == "profile city" ? value : "Springfield",
                    EmergencyContactName = field == "profile emergency contact" ? value : "Jane Doe",
                    InsuranceMemberId = field == "profile insurance member id" ? value : "M-1234",
                });
                break;
            case var immunization when immunization.StartsWith("immunization", StringComparison.Ordinal):
                var draft = new ImmunizationDraft
                {
                    CvxCode = "115", AdministeredOn = new DateTime(2020, 6, 1), DoseNumber = 1,
                    LotNumber = field == "immunization lot number" ? value : "TD-4471",
                    Site = field == "immunization site" ? value : "Left deltoid",
                    GivenAt = field == "immunization given at" ? value : null,
                    Notes = field == "immunization notes" ? value : null,
                };
                var history = Services.GetRequiredService<ImmunizationHistory>();
                // The pharmacy is the patient's field; the others the doctor's form has too.
                if (field == "immunization given at")
                {
                    await SignInAsync(Demo.John);
                    await history.ReportAsync(draft);
                }
                else
                {
                    await SignInAsync(Demo.Smith);
                    await history.RecordAsync(await Database.UserIdAsync(Demo.John), draft);
                }
                break;
            case "problem description":
                await SignInAsync(Demo.Smith);
                await Services.GetRequiredService<ProblemListService>().AddProblemAsync(
                    await Database.UserIdAsync(Demo.John), new ProblemDraft { Description = value });
                break;
            case "allergy substance" or "allergy reaction":
                await SignInAsync(Demo.Smith);
                await Services.GetRequiredService<ProblemListService>().AddAllergyAsync(await Database.UserIdAsync(Demo.John), new AllergyDraft
                {
                    Substance = field == "allergy substance" ? value : "Latex",
                    Reaction = field == "allergy reaction" ? value : null,
                });
                break;
            case var document when document.StartsWith("document", StringComparison.Ordinal):
                await SignInAsync(Demo.John);
                await Services.GetRequiredService<PatientDocuments>().UploadMineAsync(new DocumentUpload(
                    field == "document file name" ? value : "report.pdf", field == "document description" ? value : null),
                    new MemoryStream(Features.Shared.Documents.DocumentSamples.Pdf));
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

    Task<int> AppointmentOfJohnAsync() => Database.DataSource.QueryOneAsync<int>("""
        SELECT a.id FROM appointments a JOIN users p ON p.id = a.patient_id JOIN users d ON d.id = a.doctor_id
        WHERE p.email = @john AND d.email = @smith AND a.status IN ('scheduled', 'confirmed') AND a.appointment_date > current_date
        ORDER BY a.id LIMIT 1
        """, new { john = Demo.John, smith = Demo.Smith });
}
