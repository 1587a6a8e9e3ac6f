using System.Globalization;
using Hl7.Fhir.Model;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Fhir.Patients;
using MediConnect.Portal.Tests.Fixtures;
using Task = System.Threading.Tasks.Task;

namespace MediConnect.Portal.Tests.Features.Fhir;

/// <summary>What each search parameter finds, checked against the demo data in the database.</summary>
public sealed class FhirSearchTests(FhirPortal fhir) : IClassFixture<FhirPortal>
{
    async Task<List<T>> SearchAsync<T>(string email, string path) where T : Resource
    {
        using var client = fhir.Client(await fhir.SharedTokenAsync(email));
        var found = new List<T>();
        for (string? next = path; next is not null;)
        {
            var (status, resource) = await FhirPortal.GetAsync(client, next);
            Assert.Equal(200, status);
            var bundle = (Bundle)resource;
            found.AddRange(bundle.Entry.Select(e => (T)e.Resource!));
            next = bundle.NextLink?.ToString();
        }
        return found;
    }

    [Fact]
    public async Task PagingThroughObservationsInSmallPagesGivesTheSameAsOneBigPage()
    {
        var small = await SearchAsync<Observation>(Demo.Smith, "Observation?_count=7");
        var big = await SearchAsync<Observation>(Demo.Smith, "Observation?_count=500");
        var oldestFirst = await SearchAsync<Observation>(Demo.Smith, "Observation?_count=9&_sort=date");

        Assert.True(big.Count > 100);
        Assert.Equal(big.Select(o => o.Id), small.Select(o => o.Id));
        Assert.Equal(big.Count, big.Select(o => o.Id).Distinct().Count());
        Assert.Equal(big.Select(o => o.Id).Order(), oldestFirst.Select(o => o.Id).Order());
        var times = big.Select(o => DateTimeOffset.Parse(((FhirDateTime)o.Effective!).Value!)).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task BloodPressureIsAPanelWithSystolicAndDiastolicComponentsAndFlagsFromOurRanges()
    {
        var john = await fhir.Database.UserIdAsync(Demo.John);
        var panels = await SearchAsync<Observation>(Demo.John, $"Observation?patient=Patient/{john}&code=http://loinc.org|85354-9");
        var readings = await fhir.Database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM vital_signs v JOIN patients p ON p.id = v.patient_id WHERE p.user_id = @john AND v.blood_pressure IS NOT NULL", new { john });

        Assert.Equal(readings, panels.Count);
        Assert.All(panels, p => Assert.Null(p.Value));
        var high = panels.Single(p => p.Component[0].Value is Quantity { Value: 152 });
        Assert.Equal(["8480-6", "8462-4"], high.Component.Select(c => c.Code!.Coding[0].Code));
        Assert.Equal("mm[Hg]", ((Quantity)high.Component[1].Value!).Code);
        Assert.Equal(["H", "H"], high.Component.Select(c => c.Interpretation[0].Coding[0].Code));
        Assert.Empty(await SearchAsync<Observation>(Demo.John, "Observation?code=http://snomed.info/sct|8867-4"));
    }

    [Fact]
    public async Task CategoryAndCodeSeparateLabResultsFromVitalSigns()
    {
        // Emily's (Dr. Patel's patient): the other tests here read John's and Dr. Smith's Observations.
        var emily = await fhir.Database.UserIdAsync(Demo.Emily);
        await fhir.Database.DataSource.ExecuteAsync("""
            INSERT INTO lab_results (patient_id, loinc_code, value, unit, status, specimen_at, resulted_at, ordering_doctor_id, entered_by)
            SELECT @emily, t.code, t.value, t.unit, t.status, now() - t.age, now() - t.age + interval '3 hours', d.id, d.id
            FROM users d, (VALUES ('2823-3', 6.8, 'mmol/L', 'final', interval '3 days'),
                                  ('2823-3', 4.1, 'mmol/L', 'corrected', interval '10 days'),
                                  ('2345-7', 92, 'mg/dL', 'preliminary', interval '1 day')) AS t(code, value, unit, status, age)
            WHERE d.email = 'dr.patel@mediconnect.demo'
            """, new { emily });

        var labs = await SearchAsync<Observation>(Demo.Emily, "Observation?category=laboratory");
        var vitals = await SearchAsync<Observation>(Demo.Emily, "Observation?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs");
        var all = await SearchAsync<Observation>(Demo.Emily, "Observation?_count=2");
        var potassium = await SearchAsync<Observation>(Demo.Emily, "Observation?code=http://loinc.org|2823-3");

        Assert.Equal(["2345-7", "2823-3", "2823-3"], labs.Select(o => o.Code!.Coding[0].Code));
        Assert.All(labs, o => Assert.Equal("laboratory", o.Category[0].Coding[0].Code));
        Assert.NotEmpty(vitals);
        Assert.All(vitals, o => Assert.Equal("vital-signs", o.Category[0].Coding[0].Code));
        Assert.Empty(vitals.Select(o => o.Id).Intersect(labs.Select(o => o.Id)));
        Assert.Equal(vitals.Select(o => o.Id).Concat(labs.Select(o => o.Id)), all.Select(o => o.Id));
        Assert.Equal([ObservationStatus.Final, ObservationStatus.Corrected], potassium.Select(o => o.Status));
        Assert.Equal(["HH", "N"], potassium.Select(o => o.Interpretation[0].Coding[0].Code));
        Assert.Empty(await SearchAsync<Observation>(Demo.Emily, "Observation?category=laboratory&code=http://loinc.org|8867-4"));
        Assert.Empty(await SearchAsync<Observation>(Demo.Emily, "Observation?category=laboratory&code=http://snomed.info/sct|2823-3"));
        Assert.Empty(await SearchAsync<Observation>(Demo.Emily, "Observation?category=social-history"));
    }

    [Fact]
    public async Task ADateWithoutATimeMeansTheWholeDay()
    {
        var john = await fhir.Database.UserIdAsync(Demo.John);
        var all = await SearchAsync<Observation>(Demo.John, "Observation?_count=500");
        var day = DateTimeOffset.Parse(((FhirDateTime)all[^1].Effective!).Value!).ToLocalTime().Date;

        var thatDay = await SearchAsync<Observation>(Demo.John, $"Observation?patient={john}&date={day:yyyy-MM-dd}");

        Assert.NotEmpty(thatDay);
        Assert.Equal(
            all.Where(o => DateTimeOffset.Parse(((FhirDateTime)o.Effective!).Value!).ToLocalTime().Date == day).Select(o => o.Id).Order(),
            thatDay.Select(o => o.Id).Order());
    }

    /// <summary>Heart rates of John's at the edges of 11 June 2019 (UTC), long before the demo data.</summary>
    static readonly string[] EdgeReadings =
        ["2019-06-10T23:59:59Z", "2019-06-11T00:00:00Z", "2019-06-11T08:30:00Z", "2019-06-11T23:59:59Z", "2019-06-12T00:00:00Z", "2019-07-01T12:00:00Z"];

    [Theory]
    [InlineData("date=2019-06-11T00:00:00Z", "2019-06-11T00:00:00Z")]
    [InlineData("date=ge2019-06-11T00:00:00Z&date=lt2019-06-12T00:00:00Z", "2019-06-11T00:00:00Z,2019-06-11T08:30:00Z,2019-06-11T23:59:59Z")]
    [InlineData("date=gt2019-06-11T00:00:00Z&date=le2019-06-11T23:59:59Z", "2019-06-11T08:30:00Z,2019-06-11T23:59:59Z")]
    [InlineData("date=sa2019-06-11T08:30:00Z&date=eb2019-07-01T12:00:00Z", "2019-06-11T23:59:59Z,2019-06-12T00:00:00Z")]
    [InlineData("date=eq2019-06-11T10:30:00%2B02:00", "2019-06-11T08:30:00Z")]
    [InlineData("date=2019-06-11T10:30:00+02:00", "2019-06-11T08:30:00Z")] // an unescaped '+' arrives as a space
    [InlineData("date=2019-06-11T04:30-04:00", "2019-06-11T08:30:00Z")] // minute precision
    [InlineData("date=lt2019-06-11T00:00:00Z&date=ge2019-01-01T00:00:00Z", "2019-06-10T23:59:59Z")]
    [InlineData("date=ge2019-06-12T00:00:00Z&date=le2019-06-11T23:59:59Z", "")]
    [InlineData("date=ge2019-06-11T00:00:00Z&date=lt2020-01-01T00:00:00Z&_sort=date&_count=2",
        "2019-06-11T00:00:00Z,2019-06-11T08:30:00Z,2019-06-11T23:59:59Z,2019-06-12T00:00:00Z,2019-07-01T12:00:00Z")]
    public async Task DatePrefixesAndRangesFollowTheFhirRules(string dates, string expected)
    {
        var john = await fhir.Database.UserIdAsync(Demo.John);
        await fhir.Database.DataSource.ExecuteAsync(
            """
            INSERT INTO vital_signs (patient_id, heart_rate, recorded_at, device_source)
            SELECT p.id, 70, t, 'Date search test' FROM patients p, unnest(@times) AS t
            WHERE p.user_id = @john
              AND NOT EXISTS (SELECT 1 FROM vital_signs v WHERE v.patient_id = p.id AND v.device_source = 'Date search test')
            """, new { john, times = EdgeReadings.Select(t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture).UtcDateTime).ToArray() });

        var found = await SearchAsync<Observation>(Demo.Smith, $"Observation?patient={john}&code=8867-4&{dates}");

        var times = found.Select(o => DateTimeOffset.Parse(((FhirDateTime)o.Effective!).Value!, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        var expectedTimes = expected.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(dates.Contains("_sort=date", StringComparison.Ordinal) ? expectedTimes : expectedTimes.Reverse(), times);
    }

    [Theory]
    [InlineData("Observation?date=2019-13-01", "not a real date")]
    [InlineData("Observation?date=11.06.2019", "must be a date")]
    [InlineData("Observation?date=ne2019-06-11", "prefix 'ne' is not supported")]
    [InlineData("Appointment?date=ap2019-06-11", "prefix 'ap' is not supported")]
    [InlineData("Patient?birthdate=1980-3-14", "must be a date")]
    [InlineData("Observation?date=2026-01-01T00:00:00%2B99:99", "offset")]
    [InlineData("Observation?date=2026-01-01T00:00:00+99:99", "offset")]
    [InlineData("Observation?_sort=-value", "_sort=-value is not supported")]
    [InlineData("Observation?dates=2019-06-11", "'dates' is not supported")]
    public async Task ABadDateOrParameterIsA400ThatSaysWhatIsWrong(string path, string message)
    {
        using var client = fhir.Client(await fhir.SharedTokenAsync(Demo.Smith));

        var (status, resource) = await FhirPortal.GetAsync(client, path);

        Assert.Equal(400, status);
        Assert.Contains(message, Assert.IsType<OperationOutcome>(resource).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppointmentsSearchByStatusPractitionerAndDateInFhirTerms()
    {
        var smith = await fhir.Database.UserIdAsync(Demo.Smith);
        var completed = await fhir.Database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM appointments WHERE doctor_id = @smith AND status = 'completed'", new { smith });

        var fulfilled = await SearchAsync<Appointment>(Demo.Smith, $"Appointment?practitioner=Practitioner/{smith}&status=fulfilled");
        Assert.Equal(completed, fulfilled.Count);
        Assert.All(fulfilled, a => Assert.Equal(Appointment.AppointmentStatus.Fulfilled, a.Status));

        var pending = await SearchAsync<Appointment>(Demo.Smith, "Appointment?status=pending,booked&date=ge" + DateTime.Now.ToString("yyyy-MM-dd"));
        Assert.NotEmpty(pending);
        Assert.All(pending, a => Assert.True(a.Start >= DateTimeOffset.Now.Date.AddDays(-1)));
        Assert.All(pending.Where(a => a.Status == Appointment.AppointmentStatus.Pending),
            a => Assert.Equal(ParticipationStatus.NeedsAction, a.Participant[1].Status));
    }

    [Fact]
    public async Task MedicationRequestStatusActiveCoversActiveFilledAndDispensed()
    {
        var john = await fhir.Database.UserIdAsync(Demo.John);
        var live = await fhir.Database.DataSource.QueryOneAsync<long>(
            "SELECT count(*) FROM prescriptions WHERE patient_id = @john AND status IN ('active', 'filled', 'dispensed')", new { john });

        var active = await SearchAsync<MedicationRequest>(Demo.John, "MedicationRequest?status=active");

        Assert.Equal(live, active.Count);
        Assert.All(active, m => Assert.Equal(MedicationRequest.MedicationrequestStatus.Active, m.Status));
        Assert.All(await SearchAsync<MedicationRequest>(Demo.John, "MedicationRequest?status=draft"),
            m => Assert.Equal(MedicationRequest.MedicationrequestStatus.Draft, m.Status));
    }

    [Theory]
    [InlineData("Patient?name=jo", true)]
    [InlineData("Patient?name=DOE", true)]
    [InlineData("Patient?name=oe", false)]
    [InlineData("Patient?name:contains=oe", true)]
    [InlineData("Patient?name:exact=John%20Doe", true)]
    [InlineData("Patient?name:exact=john%20doe", false)]
    [InlineData("Patient?birthdate=1980-03-14", true)]
    [InlineData("Patient?birthdate=ge1981-01-01", false)]
    [InlineData("Patient?gender=male", true)]
    [InlineData("Patient?identifier=urn:mediconnect:insurance-member-id|BCB-884215370", true)]
    [InlineData("Patient?identifier=BCB-884215370", true)]
    [InlineData("Patient?identifier=urn:mediconnect:mrn|BCB-884215370", false)]
    public async Task ADoctorFindsTheirPatientsByNameBirthDateAndIdentifier(string path, bool findsJohn)
    {
        var john = await fhir.Database.UserIdAsync(Demo.John);
        var found = await SearchAsync<Hl7.Fhir.Model.Patient>(Demo.Smith, path);
        Assert.Equal(findsJohn, found.Any(p => p.Id == john.ToString()));
    }

    [Fact]
    public async Task TheMedicalRecordNumberFindsThePatient()
    {
        var john = await fhir.Database.UserIdAsync(Demo.John);
        var patientId = await fhir.Database.DataSource.QueryOneAsync<int>("SELECT id FROM patients WHERE user_id = @john", new { john });

        var found = await SearchAsync<Hl7.Fhir.Model.Patient>(Demo.Smith, $"Patient?identifier={PatientResources.MrnSystem}|{PatientMapping.Mrn(patientId)}");

        Assert.Equal(john.ToString(), Assert.Single(found).Id);
    }
}
