using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>
/// The token owner behind a FHIR request and what they may read: the token's scopes decide which
/// resource types, the owner's role which patients (a patient themselves; a doctor their care team
/// when the scope is <c>user/…</c>; an admin no clinical data). Also writes the audit rows.
/// </summary>
public sealed class FhirCaller(ICurrentUser currentUser, IHttpContextAccessor http, AuditLog audit, NpgsqlDataSource db)
{
    public const string ReadAction = "fhir_read";
    public const string DeniedAction = "fhir_read_denied";

    /// <exception cref="FhirException">403 when the token's scope or the owner's role does not reach <paramref name="resourceType"/>.</exception>
    public async Task<PatientAccess> AccessToAsync(string resourceType, bool isPatientData)
    {
        var user = await currentUser.RequireAsync();
        var scopes = ApiAccess.ScopesOf(http.HttpContext!.User).Where(s => s.Allows(resourceType)).ToList();
        if (scopes.Count == 0)
            throw FhirException.Forbidden($"This token's scope does not include {resourceType}.");
        if (!isPatientData)
            return new PatientAccess(user.Id, false, false);
        if (!user.IsPatient && !user.IsDoctor)
            throw FhirException.Forbidden("Administrators have no access to clinical data.");
        return new PatientAccess(user.Id, ReadsSelf: user.IsPatient,
            ReadsCareTeam: user.IsDoctor && scopes.Any(s => s.Context == ScopeContext.User));
    }

    /// <summary>One <c>fhir_read</c> row per patient whose data the response holds, like a chart view.</summary>
    public async Task AuditReadAsync(string interaction, string resourceType, IEnumerable<int> patientIds, int resources)
    {
        foreach (var patientId in patientIds.Distinct())
            await audit.WriteAsync(db, ReadAction, "patient", patientId, new { interaction, resourceType, resources, token = TokenId });
    }

    /// <summary>A read of an id that is unknown or not the caller's to see (the two are not told apart).</summary>
    public Task AuditDeniedAsync(string resourceType, string id) =>
        audit.WriteAsync(db, DeniedAction, resourceType, id[..Math.Min(id.Length, 64)], new { token = TokenId });

    string? TokenId => http.HttpContext?.User.FindFirst(ApiAccess.TokenIdClaim)?.Value;
}
