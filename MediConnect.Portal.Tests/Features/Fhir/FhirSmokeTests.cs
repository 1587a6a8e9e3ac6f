using Hl7.Fhir.Model;
using MediConnect.Portal.Tests.Fixtures;

namespace MediConnect.Portal.Tests.Features.Fhir;

public sealed class FhirSmokeTests(FhirPortal fhir) : IClassFixture<FhirPortal>
{
    [Fact]
    public async System.Threading.Tasks.Task Smoke()
    {
        var token = await fhir.TokenAsync(Demo.John, MediConnect.Portal.Security.ScopeContext.Patient);
        using var client = fhir.Client(token);
        var john = await fhir.Database.UserIdAsync(Demo.John);
        foreach (var path in new[] { "metadata", $"Patient/{john}", "Observation?_count=3", "Appointment?_count=2", "MedicationRequest", "AllergyIntolerance", "Condition", $"Patient/{john}/$everything?_count=20", "Practitioner/2" })
        {
            var (status, resource) = await FhirPortal.GetAsync(client, path);
            File.AppendAllText("/tmp/fhirsmoke.txt", $"{path} {status}\n{System.Text.Json.JsonSerializer.Serialize(resource, FhirPortal.Json)[..Math.Min(3000, System.Text.Json.JsonSerializer.Serialize(resource, FhirPortal.Json).Length)]}\n\n");
        }
    }
}
