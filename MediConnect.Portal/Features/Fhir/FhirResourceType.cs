using Hl7.Fhir.Model;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>
/// What the token owner may read of one resource type: the parameters of
/// <see cref="Security.CareTeam.ReadablePatientsSql"/>, bound into every query of that type.
/// </summary>
public sealed record PatientAccess(int ViewerId, bool ReadsSelf, bool ReadsCareTeam);

/// <summary>A search parameter as the CapabilityStatement lists it; <see cref="Name"/> is also what <see cref="FhirQuery.Check"/> accepts.</summary>
public sealed record SearchParameter(string Name, SearchParamType Type, string Documentation);

/// <summary>A resource read by id, with the patient (<c>users.id</c>) whose data it is, for the audit log.</summary>
public sealed record FhirRead(Resource Resource, int? PatientId);

/// <summary>One page of a search: the resources, the cursor of the next page (null on the last), and whose data they are.</summary>
public sealed record SearchPage(IReadOnlyList<Resource> Resources, string? NextCursor, IReadOnlySet<int> PatientIds)
{
    public static readonly SearchPage Empty = new([], null, new HashSet<int>());

    /// <summary>A page from rows fetched with one extra row (<see cref="SqlWhere.Page"/>): the extra one only says that more follow.</summary>
    public static SearchPage From<TRow>(IReadOnlyList<TRow> rows, int count, Func<TRow, Resource> map, Func<TRow, int> patientOf, Func<TRow, object> positionOf)
    {
        var served = rows.Take(count).ToList();
        var next = rows.Count > count ? FhirCursor.Encode(positionOf(served[^1])) : null;
        return new SearchPage([.. served.Select(map)], next, served.Select(patientOf).ToHashSet());
    }
}

/// <summary>
/// One resource type of the API, mapped from our tables: read by id and search, each with the
/// caller's <see cref="PatientAccess"/> in its SQL. An id the caller may not see reads as null,
/// exactly like one that does not exist.
/// </summary>
public interface IFhirResourceType
{
    string Name { get; }

    /// <summary>False for types that carry no patient's data (Practitioner): their reads are not audited as chart reads.</summary>
    bool IsPatientData { get; }

    /// <summary>The search parameters; none means the type is read-only.</summary>
    IReadOnlyList<SearchParameter> SearchParameters { get; }

    /// <summary>The FHIR profiles the resources claim (CapabilityStatement.supportedProfile).</summary>
    IReadOnlyList<string> Profiles => [];

    Task<FhirRead?> ReadAsync(string id, PatientAccess access, CancellationToken ct);

    Task<SearchPage> SearchAsync(FhirQuery query, PatientAccess access, CancellationToken ct);
}
