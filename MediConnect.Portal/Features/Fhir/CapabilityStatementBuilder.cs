using Hl7.Fhir.Model;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>
/// <c>GET metadata</c>: what this server does, built from the same declarations the searches
/// check their parameters against, so it lists exactly what is supported.
/// </summary>
public static class CapabilityStatementBuilder
{
    static readonly DateTimeOffset Published = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static CapabilityStatement Build(IEnumerable<IFhirResourceType> types, string baseUrl)
    {
        var resources = types
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(type => new CapabilityStatement.ResourceComponent
            {
                Type = type.Name,
                Profile = $"http://hl7.org/fhir/StructureDefinition/{type.Name}",
                SupportedProfile = [.. type.Profiles],
                Interaction =
                [
                    new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                    .. type.SearchParameters.Count == 0 ? Array.Empty<CapabilityStatement.ResourceInteractionComponent>() :
                    [
                        new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType },
                    ],
                ],
                Versioning = CapabilityStatement.ResourceVersionPolicy.NoVersion,
                ReadHistory = false,
                SearchParam =
                [
                    .. type.SearchParameters.Select(p => new CapabilityStatement.SearchParamComponent
                    {
                        Name = p.Name,
                        Type = p.Type,
                        Documentation = p.Documentation,
                    }),
                    .. type.SearchParameters.Count == 0 ? Array.Empty<CapabilityStatement.SearchParamComponent>() :
                    [
                        new CapabilityStatement.SearchParamComponent
                        {
                            Name = "_count", Type = SearchParamType.Number,
                            Documentation = $"Page size, {FhirQuery.DefaultCount} by default, at most {FhirQuery.MaxCount}. Follow the Bundle's next link for the following page.",
                        },
                    ],
                ],
                Operation = type.Name != "Patient" ? [] :
                [
                    new CapabilityStatement.OperationComponent
                    {
                        Name = "everything",
                        Definition = "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                        Documentation = "GET Patient/{id}/$everything: the patient's record (paged with _count), as far as the token's scope reaches.",
                    },
                ],
            });

        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = Published.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Publisher = "MediConnect Portal",
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "MediConnect Portal" },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "MediConnect Portal FHIR API (read-only)", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json"],
            Rest =
            [
                new CapabilityStatement.RestComponent
                {
                    Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                    Documentation = "Read-only. Unknown ids and ids outside the caller's access both answer 404.",
                    Security = new CapabilityStatement.SecurityComponent
                    {
                        Description = $"Personal access tokens (Authorization: Bearer {ApiAccess.TokenPrefix}…), created by a signed-in user on the portal's Connected apps page, "
                            + "with read-only scopes patient/*.read (the owner's own record) or user/*.read (what the owner may see in the portal), or one resource type instead of *. "
                            + "A revoked token answers 410.",
                    },
                    Resource = [.. resources],
                },
            ],
        };
    }
}
