using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Fhir.Observations;
using MediConnect.Portal.Tests.Fixtures;
using Task = System.Threading.Tasks.Task;

namespace MediConnect.Portal.Tests.Features.Fhir;

/// <summary>
/// Everything the API answers, validated by Firely's validator against the FHIR R4 base
/// specification and the profiles each resource claims (the vital-signs profiles for
/// Observations), from the specification package that ships with the SDK: no network.
/// </summary>
public sealed class FhirValidationTests(FhirPortal fhir) : IClassFixture<FhirPortal>
{
    static readonly Lazy<Validator> Validator = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(resolver, new LocalTerminologyService(resolver));
    });

    /// <summary>The validator's errors for <paramref name="resource"/> (and the profiles in its meta), as readable lines.</summary>
    static IReadOnlyList<string> Errors(Resource resource, string? profile = null) =>
    [
        .. Validator.Value.Validate(resource, profile).Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{resource.TypeName}/{resource.Id}: {i.Details?.Text ?? i.Diagnostics} at {string.Join(", ", i.Expression)}"),
    ];

    async Task<List<Resource>> EverythingAsync(HttpClient client, int patient)
    {
        var resources = new List<Resource>();
        string? next = $"Patient/{patient}/$everything?_count=200";
        while (next is not null)
        {
            var (status, resource) = await FhirPortal.GetAsync(client, next);
            Assert.Equal(200, status);
            var bundle = Assert.IsType<Bundle>(resource);
            Assert.Empty(Errors(bundle));
            resources.AddRange(bundle.Entry.Select(e => e.Resource!));
            next = bundle.NextLink?.ToString();
        }
        return resources;
    }

    /// <summary>John's doses of each kind (the demo data has none): given by Dr. Smith with every field, reported, and reported then confirmed.</summary>
    async Task<int> JohnsImmunizationsAsync()
    {
        var john = await fhir.Database.UserIdAsync(Demo.John);
        await fhir.Database.DataSource.ExecuteAsync("""
            INSERT INTO immunizations (patient_id, cvx_code, administered_on, dose_number, lot_number, site, notes, source, given_by, recorded_by)
            SELECT @john, '115', current_date - 400, 1, 'TD-4471', 'Left deltoid', 'See [card](javascript:alert(1)) <b>now</b>', 'clinic', d.id, d.id
            FROM users d WHERE d.email = 'dr.smith@mediconnect.demo';
            INSERT INTO immunizations (patient_id, cvx_code, administered_on, given_at, source, recorded_by)
            VALUES (@john, '150', current_date - 20, 'Corner pharmacy', 'patient_reported', @john);
            INSERT INTO immunizations (patient_id, cvx_code, administered_on, dose_number, source, recorded_by, confirmed_by, confirmed_at)
            SELECT @john, '187', current_date - 90, 2, 'patient_reported', @john, d.id, now()
            FROM users d WHERE d.email = 'dr.smith@mediconnect.demo';
            """, new { john });
        return john;
    }

    [Fact]
    public async Task ImmunizationsValidateAndSayWhetherTheClinicGaveThemOrThePatientReportedThem()
    {
        var john = await JohnsImmunizationsAsync();
        using var client = fhir.Client(await fhir.TokenAsync(Demo.Smith));

        var (status, bundle) = await FhirPortal.GetAsync(client, $"Immunization?patient={john}&_count=50");

        Assert.Equal(200, status);
        var doses = ((Bundle)bundle).Entry.Select(e => (Immunization)e.Resource!).ToList();
        Assert.Empty(doses.SelectMany(d => Errors(d)));
        var given = doses.First(d => d.VaccineCode!.Coding[0].Code == "115");
        Assert.True(given.PrimarySource);
        Assert.Equal(("http://hl7.org/fhir/sid/cvx", "TD-4471", "AP"), (given.VaccineCode.Coding[0].System, given.LotNumber, given.Performer[0].Function!.Coding[0].Code));
        Assert.Equal(1, ((PositiveInt)given.ProtocolApplied[0].DoseNumber!).Value);
        // Annotation.text is markdown: a note's brackets and tags reach a client as text, never a link or markup.
        Assert.Equal(@"See \[card\](javascript:alert(1)) \<b\>now\</b\>", given.Note.Single().Text);
        var reported = doses.First(d => d.VaccineCode!.Coding[0].Code == "150");
        Assert.False(reported.PrimarySource);
        Assert.Equal("recall", reported.ReportOrigin!.Coding[0].Code);
        Assert.Empty(reported.Performer);
        var confirmed = doses.First(d => d.VaccineCode!.Coding[0].Code == "187");
        Assert.False(confirmed.PrimarySource);
        Assert.Equal("record", confirmed.ReportOrigin!.Coding[0].Code);
    }

    [Fact]
    public async Task EveryResourceOfAPatientsRecordValidatesAgainstR4AndTheVitalSignsProfiles()
    {
        var john = await JohnsImmunizationsAsync();
        var smith = await fhir.Database.UserIdAsync(Demo.Smith);
        await fhir.Database.DataSource.ExecuteAsync("""
            INSERT INTO lab_results (patient_id, loinc_code, value, unit, specimen_at, resulted_at, ordering_doctor_id, entered_by)
            VALUES (@john, '2823-3', 6.9, 'mmol/L', now() - interval '2 days', now() - interval '1 day', @smith, @smith);
            INSERT INTO patient_documents (patient_id, uploaded_by, file_name, content_type, content)
            VALUES (@john, @smith, 'ECG.png', 'image/png', @png);
            """, new { john, smith, png = Shared.Documents.DocumentSamples.Png });
        using var client = fhir.Client(await fhir.TokenAsync(Demo.Smith));
        var resources = await EverythingAsync(client, john);
        resources.AddRange(await EverythingAsync(client, await fhir.Database.UserIdAsync(Demo.Michael)));

        Assert.Equal(
            ["AllergyIntolerance", "Appointment", "Condition", "DocumentReference", "Immunization", "MedicationRequest", "Observation", "Patient", "Practitioner"],
            resources.Select(r => r.TypeName).Distinct().Order());
        Assert.Contains(resources.OfType<Observation>(), o => o.Category[0].Coding[0].Code == "laboratory" && o.Interpretation[0].Coding[0].Code == "HH");
        // Every vital sign we map, each with the profile it claims (the base vital-signs profile checked explicitly too).
        var observations = resources.OfType<Observation>().Where(o => o.Category[0].Coding[0].Code == "vital-signs").ToList();
        Assert.Equal(VitalSignCode.All.Select(c => c.Code).Order(), observations.Select(o => o.Code!.Coding[0].Code).Distinct().Order());
        Assert.Contains(observations, o => o.Interpretation.Any(i => i.Coding[0].Code is "H" or "HH"));
        Assert.Empty(resources.SelectMany(r => Errors(r)));
        Assert.Empty(observations.Take(50).SelectMany(o => Errors(o, VitalSignCode.VitalSignsProfile)));
        TestContext.Current.SendDiagnosticMessage(
            $"Firely validator: 0 errors in {resources.Count} resources ({string.Join(", ", resources.GroupBy(r => r.TypeName).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"))})");
    }

    [Fact]
    public async Task LabResultsValidateAsLaboratoryObservationsWithRangeFlagTimesAndOrderingDoctor()
    {
        // Emily's (Dr. Patel's patient): the whole-record test reads John's and Michael's.
        var emily = await fhir.Database.UserIdAsync(Demo.Emily);
        var patel = await fhir.Database.UserIdAsync(Demo.Patel);
        await fhir.Database.DataSource.ExecuteAsync("""
            INSERT INTO lab_results (patient_id, loinc_code, value, unit, status, specimen_at, resulted_at, ordering_doctor_id, entered_by)
            VALUES (@emily, '2823-3', 2.5, 'mmol/L', 'preliminary', '2026-03-02T08:15:00Z', '2026-03-02T11:40:00Z', @patel, @patel),
                   (@emily, '2345-7', 120, 'mg/dL', 'final', '2026-03-01T08:00:00Z', '2026-03-01T10:00:00Z', @patel, @patel)
            """, new { emily, patel });
        using var client = fhir.Client(await fhir.TokenAsync(Demo.Patel));

        var (status, bundle) = await FhirPortal.GetAsync(client, $"Observation?patient={emily}&category=laboratory&date=ge2026-03-01&date=lt2026-03-03");
        var labs = Assert.IsType<Bundle>(bundle).Entry.Select(e => (Observation)e.Resource!).ToList();
        var read = (await FhirPortal.GetAsync(client, $"Observation/{labs[0].Id}")).Resource;

        Assert.Equal(200, status);
        Assert.Empty(labs.Append(read).SelectMany(o => Errors(o)));
        var potassium = labs[0];
        Assert.Equal(("http://loinc.org", "2823-3"), (potassium.Code!.Coding[0].System, potassium.Code.Coding[0].Code));
        Assert.Equal(("http://unitsofmeasure.org", "mmol/L", 2.5m), (((Quantity)potassium.Value!).System, ((Quantity)potassium.Value).Code, ((Quantity)potassium.Value).Value));
        Assert.Equal((3.5m, 5.1m), (potassium.ReferenceRange[0].Low!.Value, potassium.ReferenceRange[0].High!.Value));
        Assert.Equal(["LL", "H"], labs.Select(o => o.Interpretation[0].Coding[0].Code));
        Assert.Equal([ObservationStatus.Preliminary, ObservationStatus.Final], labs.Select(o => o.Status));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 15, 0, TimeSpan.Zero), ((FhirDateTime)potassium.Effective!).ToDateTimeOffset(TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 11, 40, 0, TimeSpan.Zero), potassium.Issued);
        Assert.Equal($"Practitioner/{patel}", potassium.Performer[0].Reference);
        Assert.Equal(potassium.Id, read.Id);
    }

    [Fact]
    public async Task ProblemsAndAllergiesValidateFromTheStructuredLists()
    {
        // Emily's (Dr. Patel's patient): the whole-record test reads John's and Michael's.
        var emily = await fhir.Database.UserIdAsync(Demo.Emily);
        var patel = await fhir.Database.UserIdAsync(Demo.Patel);
        await fhir.Database.DataSource.ExecuteAsync("""
            INSERT INTO patient_problems (patient_id, icd10_code, description, onset_date, status, resolved_date, recorded_by)
            VALUES (@emily, 'E11.9', 'Type 2 diabetes', '2019-04-01', 'active', NULL, @patel),
                   (@emily, NULL, 'Knee pain after a fall', '2025-06-10', 'resolved', '2025-08-01', @patel);
            INSERT INTO patient_allergies (patient_id, substance, reaction, severity, status, recorded_by)
            VALUES (@emily, 'Peanuts', 'Swollen lips, wheezing', 'severe', 'active', @patel),
                   (@emily, 'Latex', NULL, NULL, 'inactive', @patel);
            """, new { emily, patel });
        using var client = fhir.Client(await fhir.TokenAsync(Demo.Patel));

        var conditions = Assert.IsType<Bundle>((await FhirPortal.GetAsync(client, $"Condition?patient={emily}&_count=100")).Resource)
            .Entry.Select(e => (Condition)e.Resource!).ToList();
        var allergies = Assert.IsType<Bundle>((await FhirPortal.GetAsync(client, $"AllergyIntolerance?patient={emily}&_count=100")).Resource)
            .Entry.Select(e => (AllergyIntolerance)e.Resource!).ToList();

        Assert.Empty(conditions.Cast<Resource>().Concat(allergies).SelectMany(r => Errors(r)));
        var diabetes = conditions.Single(c => c.Code!.Text == "Type 2 diabetes");
        Assert.Equal(("http://hl7.org/fhir/sid/icd-10-cm", "E11.9"), (diabetes.Code!.Coding[0].System, diabetes.Code.Coding[0].Code));
        Assert.Equal(("problem-list-item", "active", "2019-04-01"), (diabetes.Category[0].Coding[0].Code, diabetes.ClinicalStatus!.Coding[0].Code, ((FhirDateTime)diabetes.Onset!).Value));
        Assert.Equal($"Practitioner/{patel}", diabetes.Recorder!.Reference);
        var knee = conditions.Single(c => c.Code!.Text == "Knee pain after a fall");
        Assert.Empty(knee.Code!.Coding);
        Assert.Equal(("resolved", "2025-08-01"), (knee.ClinicalStatus!.Coding[0].Code, ((FhirDateTime)knee.Abatement!).Value));
        var peanuts = allergies.Single(a => a.Code!.Text == "Peanuts");
        Assert.Equal(AllergyIntolerance.AllergyIntoleranceCriticality.High, peanuts.Criticality);
        Assert.Equal(("Swollen lips, wheezing", AllergyIntolerance.AllergyIntoleranceSeverity.Severe), (peanuts.Reaction[0].Manifestation[0].Text, peanuts.Reaction[0].Severity));
        Assert.Equal(("active", $"Practitioner/{patel}"), (peanuts.ClinicalStatus!.Coding[0].Code, peanuts.Recorder!.Reference));
        // Emily's seeded "Latex" came over from the free text, active and unrecorded; this one is the inactive entry added above.
        var latex = allergies.Single(a => a.Code!.Text == "Latex" && a.Recorder is not null);
        Assert.Equal(("inactive", (AllergyIntolerance.AllergyIntoleranceCriticality?)null), (latex.ClinicalStatus!.Coding[0].Code, latex.Criticality));
    }

    [Fact]
    public async Task DocumentReferencesAndTheirBinariesValidateAgainstR4()
    {
        var john = await fhir.Database.UserIdAsync(Demo.John);
        var smith = await fhir.Database.UserIdAsync(Demo.Smith);
        await fhir.Database.DataSource.ExecuteAsync("""
            INSERT INTO patient_documents (patient_id, uploaded_by, file_name, description, content_type, content)
            VALUES (@john, @john, 'outside report.pdf', 'From the hospital', 'application/pdf', @pdf),
                   (@john, @smith, 'ECG.png', NULL, 'image/png', @png)
            """, new { john, smith, pdf = Shared.Documents.DocumentSamples.Pdf, png = Shared.Documents.DocumentSamples.Png });
        using var client = fhir.Client(await fhir.TokenAsync(Demo.Smith));

        var (status, search) = await FhirPortal.GetAsync(client, $"DocumentReference?patient={john}");
        var references = Assert.IsType<Bundle>(search).Entry.Select(e => Assert.IsType<DocumentReference>(e.Resource)).ToList();
        var binaries = new List<Resource>();
        foreach (var reference in references)
            binaries.Add((await FhirPortal.GetAsync(client, reference.Content[0].Attachment.Url!)).Resource);

        Assert.Equal(200, status);
        Assert.Equal(["Practitioner/" + smith, "Patient/" + john], references.Take(2).Select(r => r.Author[0].Reference));
        Assert.All(binaries, b => Assert.IsType<Binary>(b));
        Assert.Empty(new[] { search }.Concat(references).Concat(binaries).SelectMany(r => Errors(r)));
    }

    [Fact]
    public async Task TheCapabilityStatementSearchBundlesAndErrorsValidateToo()
    {
        using var client = fhir.Client(await fhir.TokenAsync(Demo.John));
        var answers = new List<Resource>();
        foreach (var path in new[] { "metadata", "Observation?code=85354-9&_count=5", "Appointment?status=fulfilled", "Patient/999999", "Observation?date=tomorrow" })
            answers.Add((await FhirPortal.GetAsync(client, path)).Resource);
        using var anonymous = fhir.Client(null);
        answers.Add((await FhirPortal.GetAsync(anonymous, "Patient")).Resource);

        Assert.Equal(["CapabilityStatement", "Bundle", "Bundle", "OperationOutcome", "OperationOutcome", "OperationOutcome"], answers.Select(a => a.TypeName));
        Assert.Empty(answers.SelectMany(a => Errors(a)));
    }

    [Fact]
    public async Task TheValidatorCatchesAVitalSignThatBreaksItsProfile()
    {
        using var client = fhir.Client(await fhir.TokenAsync(Demo.John));
        var (_, bundle) = await FhirPortal.GetAsync(client, "Observation?code=8867-4&_count=1");
        var heartRate = (Observation)((Bundle)bundle).Entry[0].Resource!;
        Assert.Empty(Errors(heartRate));

        heartRate.Value = new Quantity { Value = 72, Unit = "beats/minute", System = VitalSignCode.UcumSystem, Code = "kg" };
        heartRate.Category.Clear();

        Assert.NotEmpty(Errors(heartRate));
    }
}
