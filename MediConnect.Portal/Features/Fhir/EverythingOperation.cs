using MediConnect.Portal.Features.Fhir.Practitioners;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>
/// <c>GET Patient/{id}/$everything</c>: the patient's whole record as a searchset, in pages like
/// any search: the Patient, their allergies, conditions, prescriptions, appointments, vital signs and lab results, immunizations, documents,
/// then the doctors those name. Each part runs through its own type's access rules and the token's
/// scopes (a part the scope does not cover is left out), so the export holds exactly what the
/// caller could read one resource at a time.
/// </summary>
public sealed class EverythingOperation(FhirApi api, FhirCaller caller, PractitionerResources practitioners)
{
    sealed record Position(int Section, string? Inner);

    static readonly string[] Sections = ["Patient", "AllergyIntolerance", "Condition", "MedicationRequest", "Appointment", "Observation", "Immunization", "DocumentReference", "Practitioner"];

    public async Task<IResult> RunAsync(string id, HttpRequest request, CancellationToken ct)
    {
        var query = FhirQuery.From(request.Query);
        query.Check([]);
        var count = query.Count;
        var patientType = api.Type("Patient");
        var patient = await patientType.ReadAsync(id, await caller.AccessToAsync("Patient", isPatientData: true), ct);
        if (patient is null)
        {
            await caller.AuditDeniedAsync("Patient", id);
            throw FhirException.NotFound("Patient", id);
        }
        var patientId = patient.PatientId!.Value;

        var position = FhirCursor.Decode<Position>(query.Cursor) ?? new Position(0, null);
        if (position.Section is < 0 || position.Section >= Sections.Length)
            throw FhirException.BadParameter("_cursor is not valid for this search: follow the 'next' link as given.");
        var resources = new List<Hl7.Fhir.Model.Resource>();
        string? next = null;
        for (var section = position.Section; section < Sections.Length; section++)
        {
            var inner = section == position.Section ? position.Inner : null;
            var page = await SectionAsync(Sections[section], patient, patientId, count - resources.Count, inner, ct);
            resources.AddRange(page.Resources);
            if (page.NextCursor is not null)
            {
                next = FhirCursor.Encode(new Position(section, page.NextCursor));
                break;
            }
            if (resources.Count >= count && section + 1 < Sections.Length)
            {
                next = FhirCursor.Encode(new Position(section + 1, null));
                break;
            }
        }
        await caller.AuditReadAsync("everything", "Patient", [patientId], resources.Count);
        var result = new SearchPage(resources, next, new HashSet<int> { patientId });
        return new FhirResult(SearchBundle.Create(request, result, query, included: new HashSet<string> { "Practitioner" }));
    }

    async Task<SearchPage> SectionAsync(string typeName, FhirRead patient, int patientId, int count, string? cursor, CancellationToken ct)
    {
        if (typeName == "Patient")
            return new SearchPage([patient.Resource], null, new HashSet<int> { patientId });
        var type = api.Type(typeName);
        PatientAccess access;
        try
        {
            access = await caller.AccessToAsync(typeName, type.IsPatientData);
        }
        catch (FhirException e) when (e.Status == StatusCodes.Status403Forbidden)
        {
            return SearchPage.Empty; // the token's scope leaves this part out
        }
        if (typeName == "Practitioner")
            return await practitioners.OfPatientAsync(patientId, await caller.AccessToAsync("Patient", isPatientData: true), count, cursor, ct);
        var query = FhirQuery.Of(("patient", FhirIds.Text(patientId)), ("_count", FhirIds.Text(count)), (FhirQuery.CursorName, cursor));
        return await type.SearchAsync(query, access, ct);
    }
}
