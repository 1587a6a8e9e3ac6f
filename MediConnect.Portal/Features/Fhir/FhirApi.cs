using Hl7.Fhir.Model;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>
/// The read and search interactions of every resource type: the caller's access first, the
/// type's own SQL next, then the audit rows, and only then the response. An id the caller may not
/// see answers exactly like an unknown one (404), and is audited as a refused read.
/// </summary>
public sealed class FhirApi(IEnumerable<IFhirResourceType> types, FhirCaller caller)
{
    readonly IReadOnlyDictionary<string, IFhirResourceType> _types = types.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public IFhirResourceType Type(string name) => _types.TryGetValue(name, out var type)
        ? type
        : throw FhirException.NotSupported($"The resource type '{name}' is not served here; see /fhir/r4/metadata.", StatusCodes.Status404NotFound);

    public async Task<IResult> ReadAsync(string typeName, string id, CancellationToken ct)
    {
        var type = Type(typeName);
        var access = await caller.AccessToAsync(type.Name, type.IsPatientData);
        var read = await type.ReadAsync(id, access, ct);
        if (read is null)
        {
            if (type.IsPatientData)
                await caller.AuditDeniedAsync(type.Name, id);
            throw FhirException.NotFound(type.Name, id);
        }
        if (read.PatientId is { } patientId && type.IsPatientData)
            await caller.AuditReadAsync("read", type.Name, [patientId], 1);
        return new FhirResult(read.Resource);
    }

    public async Task<IResult> SearchAsync(string typeName, HttpRequest request, CancellationToken ct)
    {
        var type = Type(typeName);
        if (type.SearchParameters.Count == 0)
            throw FhirException.NotSupported($"{type.Name} is read by id only; search is not supported.", StatusCodes.Status405MethodNotAllowed);
        var access = await caller.AccessToAsync(type.Name, type.IsPatientData);
        var query = FhirQuery.From(request.Query);
        query.Check(type.SearchParameters.Select(p => p.Name));
        var page = await type.SearchAsync(query, access, ct);
        await caller.AuditReadAsync("search-type", type.Name, page.PatientIds, page.Resources.Count);
        return new FhirResult(SearchBundle.Create(request, page, query));
    }
}
