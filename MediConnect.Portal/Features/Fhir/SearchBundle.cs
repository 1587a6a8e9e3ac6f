using Hl7.Fhir.Model;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>A searchset Bundle of one page, with the <c>self</c> and <c>next</c> links a FHIR client follows.</summary>
public static class SearchBundle
{
    /// <summary>The API's base address as the client reached it (scheme and host from the request, behind a trusted proxy its forwarded ones).</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{FhirSetup.BasePath}";

    public static Bundle Create(HttpRequest request, SearchPage page, FhirQuery query, IReadOnlySet<string>? included = null)
    {
        var baseUrl = BaseUrl(request);
        var self = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}";
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Timestamp = DateTimeOffset.UtcNow,
            Link = [new Bundle.LinkComponent { Relation = "self", Url = self + request.QueryString }],
        };
        if (page.NextCursor is not null)
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = self + query.WithCursor(page.NextCursor) });
        foreach (var resource in page.Resources)
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{resource.TypeName}/{resource.Id}",
                Resource = resource,
                Search = new Bundle.SearchComponent
                {
                    Mode = included?.Contains(resource.TypeName) == true ? Bundle.SearchEntryMode.Include : Bundle.SearchEntryMode.Match,
                },
            });
        return bundle;
    }
}
