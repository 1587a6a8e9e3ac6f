using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Task = System.Threading.Tasks.Task;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>Writes a resource as <c>application/fhir+json</c> with the Firely SDK's serializer (never hand-built JSON).</summary>
public sealed class FhirResult(Resource resource, int status = StatusCodes.Status200OK) : IResult
{
    public const string ContentType = "application/fhir+json; charset=utf-8";

    static readonly JsonSerializerOptions Compact = new JsonSerializerOptions().ForFhir();
    static readonly JsonSerializerOptions Pretty = new JsonSerializerOptions().ForFhir().Pretty();

    public Resource Resource => resource;
    public int Status => status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = ContentType;
        var pretty = string.Equals(httpContext.Request.Query["_pretty"], "true", StringComparison.Ordinal);
        await JsonSerializer.SerializeAsync(httpContext.Response.Body, resource, resource.GetType(), pretty ? Pretty : Compact, httpContext.RequestAborted);
    }
}
