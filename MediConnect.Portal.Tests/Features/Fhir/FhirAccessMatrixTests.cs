using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using MediConnect.Portal.Tests.Fixtures;
using static MediConnect.Portal.Tests.Fixtures.Demo;
using Task = System.Threading.Tasks.Task;

namespace MediConnect.Portal.Tests.Features.Fhir;

/// <summary>
/// Every resource type × every role × an id of the caller's own (their record, or their care
/// team's) and one of somebody else's, through the real API: the own one reads, the other answers
/// byte for byte like an id that does not exist, searches hold only readable patients, and admins
/// read no clinical data at all.
/// </summary>
public sealed class FhirAccessMatrixTests(FhirPortal fhir) : IClassFixture<FhirPortal>
{
    public static readonly TheoryData<string> ClinicalTypes =
        ["Patient", "Observation", "Appointment", "MedicationRequest", "AllergyIntolerance", "Condition", "Immunization", "DocumentReference", LabObservation];

    /// <summary>Lab results: Observations searched with their category.</summary>
    const string LabObservation = "Observation?category=laboratory";

    /// <summary>The resource type of a matrix entry (the path before any fixed search).</summary>
    static string TypeOf(string entry) => entry.Split('?')[0];

    /// <summary>A search of a matrix entry with <paramref name="parameters"/> added.</summary>
    static string Search(string entry, string parameters) => entry.Contains('?') ? $"{entry}&{parameters}" : $"{entry}?{parameters}";

    // John is Dr. Smith's patient; Emily is not (she sees Dr. Patel).
    const string Own = John;
    const string Other = Emily;

    async Task<string> IdOfAsync(string type, string patientEmail)
    {
        var db = fhir.Database.DataSource;
        var patient = await fhir.Database.UserIdAsync(patientEmail);
        return type switch
        {
            "Patient" => patient.ToString(),
            "Observation" => await db.QueryOneAsync<int>(
                "SELECT v.id FROM vital_signs v JOIN patients p ON p.id = v.patient_id WHERE p.user_id = @patient AND v.heart_rate IS NOT NULL LIMIT 1",
                new { patient }) + "-heart-rate",
            "Appointment" => (await db.QueryOneAsync<int>("SELECT id FROM appointments WHERE patient_id = @patient LIMIT 1", new { patient })).ToString(),
            "MedicationRequest" => (await PrescriptionOfAsync(patient)).ToString(),
            "AllergyIntolerance" => (await db.QueryOneAsync<int>("SELECT min(id) FROM patient_allergies WHERE patient_id = @patient", new { patient })).ToString(),
            "Condition" => (await db.QueryOneAsync<int>("SELECT min(id) FROM patient_problems WHERE patient_id = @patient", new { patient })).ToString(),
            "Immunization" => (await ImmunizationOfAsync(patient)).ToString(),
            "DocumentReference" or "Binary" => (await DocumentOfAsync(patient)).ToString(),
            LabObservation => "lab-" + await LabResultOfAsync(patient),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    /// <summary>An immunization of the patient's: one they reported (the demo data has none).</summary>
    async Task<int> ImmunizationOfAsync(int patient) =>
        await fhir.Database.DataSource.QueryOneAsync<int?>("SELECT min(id) FROM immunizations WHERE patient_id = @patient", new { patient })
        ?? await fhir.Database.DataSource.InsertReturningAsync<int>(
            """
            INSERT INTO immunizations (patient_id, cvx_code, administered_on, source, recorded_by)
            VALUES (@patient, '150', current_date - 30, 'patient_reported', @patient)
            RETURNING id
            """, new { patient });
    /// <summary>A lab result of the patient's (the demo data has none): a potassium their own doctor ordered.</summary>
    async Task<int> LabResultOfAsync(int patient) =>
        await fhir.Database.DataSource.QueryOneAsync<int?>("SELECT min(id) FROM lab_results WHERE patient_id = @patient", new { patient })
        ?? await fhir.Database.DataSource.InsertReturningAsync<int>(
            """
            INSERT INTO lab_results (patient_id, loinc_code, value, unit, specimen_at, resulted_at, ordering_doctor_id, entered_by)
            SELECT @patient, '2823-3', 4.2, 'mmol/L', now() - interval '2 days', now() - interval '1 day', d.doctor_id, d.doctor_id
            FROM (SELECT doctor_id FROM appointments WHERE patient_id = @patient ORDER BY id LIMIT 1) d
            RETURNING id
            """, new { patient });

    /// <summary>A document on the patient's record: the first one, or a new one the patient uploads.</summary>
    async Task<int> DocumentOfAsync(int patient) =>
        await fhir.Database.DataSource.QueryOneAsync<int?>("SELECT min(id) FROM patient_documents WHERE patient_id = @patient", new { patient })
        ?? await fhir.Database.DataSource.InsertReturningAsync<int>(
            """
            INSERT INTO patient_documents (patient_id, uploaded_by, file_name, content_type, content)
            VALUES (@patient, @patient, 'outside report.pdf', 'application/pdf', @content)
            RETURNING id
            """, new { patient, content = Shared.Documents.DocumentSamples.Pdf });

    /// <summary>A prescription of the patient's: theirs from the demo data, or a new one from a doctor who is not Dr. Smith.</summary>
    async Task<int> PrescriptionOfAsync(int patient) =>
        await fhir.Database.DataSource.QueryOneAsync<int?>("SELECT min(id) FROM prescriptions WHERE patient_id = @patient", new { patient })
        ?? await fhir.Database.DataSource.InsertReturningAsync<int>(
            """
            INSERT INTO prescriptions (patient_id, doctor_id, medication, dosage, frequency, status)
            VALUES (@patient, (SELECT id FROM users WHERE email = 'dr.patel@mediconnect.demo'), 'Albuterol', '90 mcg', 'As needed', 'active')
            RETURNING id
            """, new { patient });

    static string UnknownId(string type) => type switch
    {
        "Observation" => "999999-heart-rate",
        LabObservation => "lab-999999",
        _ => "999999",
    };

    /// <summary>The users.id of the patient a resource is about.</summary>
    static int PatientOf(Resource resource) => int.Parse(((string?)(resource switch
    {
        Hl7.Fhir.Model.Patient p => p.Id,
        Observation o => o.Subject!.Reference,
        Appointment a => a.Participant.Single(p => p.Actor!.Reference!.StartsWith("Patient/", StringComparison.Ordinal)).Actor!.Reference,
        MedicationRequest m => m.Subject!.Reference,
        AllergyIntolerance a => a.Patient!.Reference,
        Condition c => c.Subject!.Reference,
        Immunization i => i.Patient!.Reference,
        DocumentReference d => d.Subject!.Reference,
        Binary b => b.SecurityContext!.Reference,
        _ => throw new ArgumentOutOfRangeException(nameof(resource)),
    }))!.Split('/')[^1]);

    /// <summary>Every resource of a search, following the next links.</summary>
    static async Task<List<Resource>> SearchAllAsync(HttpClient client, string path)
    {
        var found = new List<Resource>();
        string? next = path;
        while (next is not null)
        {
            var (status, resource) = await FhirPortal.GetAsync(client, next);
            Assert.Equal(200, status);
            var bundle = Assert.IsType<Bundle>(resource);
            found.AddRange(bundle.Entry.Select(e => e.Resource!));
            next = bundle.NextLink?.ToString();
        }
        return found;
    }

    /// <summary>What a 404 says, with the id asked for taken out: it must not differ between unknown and forbidden.</summary>
    static async Task<string> NotFoundAsync(HttpClient client, string type, string id)
    {
        using var response = await client.GetAsync($"{type}/{id}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        return (await response.Content.ReadAsStringAsync()).Replace(id, "{id}", StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ClinicalTypes))]
    public async Task APatientReadsTheirOwnAndNothingOfAnotherPatients(string type)
    {
        foreach (var scope in new[] { ScopeContext.Patient, ScopeContext.User })
        {
            using var client = fhir.Client(await fhir.SharedTokenAsync(John, scope));
            await AssertOwnReadsAndOtherIsUnknownAsync(client, type);
            var john = await fhir.Database.UserIdAsync(John);
            var found = await SearchAllAsync(client, Search(type, "_count=500"));
            Assert.All(found, r => Assert.Equal(john, PatientOf(r)));
            if (type == LabObservation)
                Assert.All(found, r => Assert.Equal("laboratory", ((Observation)r).Category[0].Coding[0].Code));
        }
    }

    [Theory]
    [MemberData(nameof(ClinicalTypes))]
    public async Task ADoctorReadsTheirCareTeamsAndNothingOfOtherPatients(string type)
    {
        using var client = fhir.Client(await fhir.SharedTokenAsync(Smith));
        await AssertOwnReadsAndOtherIsUnknownAsync(client, type);
        var careTeam = (await new Portal.Security.CareTeam(fhir.Database.DataSource, TimeProvider.System).PatientsOfAsync(await fhir.Database.UserIdAsync(Smith))).ToHashSet();
        var found = await SearchAllAsync(client, Search(type, "_count=500"));
        Assert.NotEmpty(found);
        Assert.All(found, r => Assert.Contains(PatientOf(r), careTeam));
    }

    async Task AssertOwnReadsAndOtherIsUnknownAsync(HttpClient client, string type)
    {
        var own = await IdOfAsync(type, Own);
        var other = await IdOfAsync(type, Other);
        var otherPatient = await fhir.Database.UserIdAsync(Other);

        var (status, resource) = await FhirPortal.GetAsync(client, $"{TypeOf(type)}/{own}");
        Assert.Equal(200, status);
        Assert.Equal(own, resource.Id);

        Assert.Equal(await NotFoundAsync(client, TypeOf(type), UnknownId(type)), await NotFoundAsync(client, TypeOf(type), other));
        Assert.Empty(await SearchAllAsync(client, type == "Patient" ? $"Patient?_id={otherPatient}" : Search(type, $"patient={otherPatient}")));
        using var everything = await client.GetAsync($"Patient/{otherPatient}/$everything");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, everything.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ClinicalTypes))]
    public async Task AnAdminReadsNoClinicalDataWhateverTheId(string type)
    {
        using var client = fhir.Client(await fhir.SharedTokenAsync(Demo.Admin));
        var answers = new List<string>();
        foreach (var path in new[] { $"{TypeOf(type)}/{await IdOfAsync(type, Own)}", $"{TypeOf(type)}/{await IdOfAsync(type, Other)}", $"{TypeOf(type)}/{UnknownId(type)}", type })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
            answers.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.Single(answers.Distinct());
        Assert.Contains("no access to clinical data", answers[0]);
    }

    [Theory]
    [InlineData(John)]
    [InlineData(Smith)]
    public async Task ADocumentsBinaryIsReadByIdOnlyByThoseWhoMayReadItAndAuditedAsADownload(string email)
    {
        using var client = fhir.Client(await fhir.TokenAsync(email));
        var own = await IdOfAsync("Binary", Own);
        var john = await fhir.Database.UserIdAsync(John);

        var (status, resource) = await FhirPortal.GetAsync(client, $"Binary/{own}");
        Assert.Equal(200, status);
        Assert.Equal(john, PatientOf(resource));
        Assert.Equal(Shared.Documents.DocumentSamples.Pdf, Assert.IsType<Binary>(resource).Data);
        Assert.Equal(await NotFoundAsync(client, "Binary", UnknownId("Binary")), await NotFoundAsync(client, "Binary", await IdOfAsync("Binary", Other)));
        Assert.Equal(405, (await FhirPortal.GetAsync(client, "Binary")).Status);
        Assert.True(await fhir.Database.DataSource.QueryOneAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'document_download' AND entity_type = 'patient_documents'
                           AND entity_id = @own AND user_id = @viewer AND (new_values ->> 'patientId')::int = @john)
            """, new { own, viewer = await fhir.Database.UserIdAsync(email), john }));
        using var admin = fhir.Client(await fhir.TokenAsync(Demo.Admin));
        Assert.Equal(403, (await FhirPortal.GetAsync(admin, $"Binary/{own}")).Status);
    }

    [Theory]
    [InlineData(John)]
    [InlineData(Smith)]
    [InlineData(Demo.Admin)]
    public async Task EveryRoleReadsTheClinicsDoctorsAndNothingElseAsAPractitioner(string email)
    {
        using var client = fhir.Client(await fhir.TokenAsync(email));
        var smith = await fhir.Database.UserIdAsync(Smith);
        var (status, resource) = await FhirPortal.GetAsync(client, $"Practitioner/{smith}");
        Assert.Equal(200, status);
        Assert.Equal("Dr. Sarah Smith", Assert.IsType<Practitioner>(resource).Name[0].Text);
        // A patient's or an admin's user id is no Practitioner.
        Assert.Equal(404, (await FhirPortal.GetAsync(client, $"Practitioner/{await fhir.Database.UserIdAsync(John)}")).Status);
        Assert.Equal(404, (await FhirPortal.GetAsync(client, $"Practitioner/{await fhir.Database.UserIdAsync(Demo.Admin)}")).Status);
    }

    [Fact]
    public async Task ATokenLimitedToOneResourceTypeReadsNoOther()
    {
        using var client = fhir.Client(await fhir.TokenAsync(John, ScopeContext.Patient, ["Observation"]));
        var john = await fhir.Database.UserIdAsync(John);

        Assert.Equal(200, (await FhirPortal.GetAsync(client, "Observation?_count=1")).Status);
        var (status, outcome) = await FhirPortal.GetAsync(client, $"Patient/{john}");
        Assert.Equal(403, status);
        Assert.Contains("scope", Assert.IsType<OperationOutcome>(outcome).Issue[0].Diagnostics);
        Assert.Equal(403, (await FhirPortal.GetAsync(client, $"Patient/{john}/$everything")).Status);
    }

    [Fact]
    public async Task ADeactivatedPatientsRecordIsClosedToTheirDoctorsToo()
    {
        // Linda is deactivated; Dr. Patel saw her.
        var linda = await fhir.Database.UserIdAsync("linda.martinez@mediconnect.demo");
        using var client = fhir.Client(await fhir.TokenAsync(Patel));

        Assert.Equal(404, (await FhirPortal.GetAsync(client, $"Patient/{linda}")).Status);
        Assert.Empty(await SearchAllAsync(client, $"Appointment?patient={linda}"));
    }
}
