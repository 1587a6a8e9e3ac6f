using MediConnect.Portal.Features.Account;
using MediConnect.Portal.Features.Fhir.Appointments;
using MediConnect.Portal.Features.Fhir.Immunizations;
using MediConnect.Portal.Features.Fhir.Documents;
using MediConnect.Portal.Features.Fhir.Medications;
using MediConnect.Portal.Features.Fhir.Observations;
using MediConnect.Portal.Features.Fhir.Patients;
using MediConnect.Portal.Features.Fhir.Practitioners;
using MediConnect.Portal.Features.Fhir.Problems;
using MediConnect.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Serilog.Context;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>
/// The FHIR R4 API under <see cref="BasePath"/>: read-only JSON for other clinical software. Every
/// request but <c>metadata</c> needs a personal access token; it then runs as the token's owner
/// through <see cref="FhirCaller"/>. Every answer, errors included, is a FHIR resource.
/// </summary>
public static class FhirSetup
{
    public const string BasePath = "/fhir/r4";

    public static IServiceCollection AddFhirApi(this IServiceCollection services)
    {
        services.AddScoped<FhirCaller>();
        services.AddScoped<FhirApi>();
        services.AddScoped<EverythingOperation>();
        AddType<PatientResources>(services);
        AddType<PractitionerResources>(services);
        AddType<ObservationResources>(services);
        AddType<AppointmentResources>(services);
        AddType<MedicationRequestResources>(services);
        AddType<AllergyIntoleranceResources>(services);
        AddType<ConditionResources>(services);
        AddType<ImmunizationResources>(services);
        AddType<DocumentReferenceResources>(services);
        AddType<BinaryResources>(services);
        return services;
    }

    static void AddType<T>(IServiceCollection services) where T : class, IFhirResourceType
    {
        services.AddScoped<T>();
        services.AddScoped<IFhirResourceType>(sp => sp.GetRequiredService<T>());
    }

    public static WebApplication MapFhirApi(this WebApplication app)
    {
        var fhir = app.MapGroup(BasePath).AddEndpointFilter(AnswerErrorsAsOutcomesAsync);
        fhir.MapGet("/metadata", (HttpRequest request, IEnumerable<IFhirResourceType> types) =>
            new FhirResult(CapabilityStatementBuilder.Build(types, SearchBundle.BaseUrl(request)))).AllowAnonymous();

        var api = fhir.MapGroup("").AddEndpointFilter(AuthenticateTokenAsync);
        api.MapGet("/Patient/{id}/$everything", (string id, HttpRequest request, EverythingOperation everything, CancellationToken ct) =>
            everything.RunAsync(id, request, ct));
        api.MapGet("/{type}", (string type, HttpRequest request, FhirApi fhirApi, CancellationToken ct) => fhirApi.SearchAsync(type, request, ct));
        api.MapGet("/{type}/{id}", (string type, string id, FhirApi fhirApi, CancellationToken ct) => fhirApi.ReadAsync(type, id, ct));
        api.MapMethods("/{**rest}", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete],
            (Func<HttpRequest, IResult>)Unsupported);
        return app;
    }

    static IResult Unsupported(HttpRequest request) => HttpMethods.IsGet(request.Method)
        ? throw FhirException.NotSupported($"{request.Path} is not an interaction this server supports; see {BasePath}/metadata.", StatusCodes.Status404NotFound)
        : throw FhirException.NotSupported("This FHIR API is read-only.", StatusCodes.Status405MethodNotAllowed);

    /// <summary>Any failure becomes an OperationOutcome: the expected ones with their status, anything else a 500 that names no internals.</summary>
    static async ValueTask<object?> AnswerErrorsAsOutcomesAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (FhirException e)
        {
            return new FhirResult(e.ToOutcome(), e.Status);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FhirSetup))
                .LogError(e, "FHIR request {Method} {Path} failed", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return new FhirResult(FhirException.Outcome(Hl7.Fhir.Model.OperationOutcome.IssueType.Exception,
                "The server could not answer this request. It has been logged; try again later."), StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>
    /// The bearer token, and nothing else (a browser's sign-in cookie does not open the API): 401
    /// without a valid one, 410 for a revoked one. The request then runs as the token's owner.
    /// </summary>
    static async ValueTask<object?> AuthenticateTokenAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var result = await http.AuthenticateAsync(ApiAccess.Scheme);
        if (!result.Succeeded)
        {
            var rejection = (result.Failure as AccessTokenRejectedException)?.Reason;
            http.Response.Headers.WWWAuthenticate = rejection is null
                ? "Bearer realm=\"MediConnect FHIR\""
                : "Bearer realm=\"MediConnect FHIR\", error=\"invalid_token\"";
            var (status, code, message) = rejection switch
            {
                null => (StatusCodes.Status401Unauthorized, Hl7.Fhir.Model.OperationOutcome.IssueType.Login,
                    "Send a personal access token: Authorization: Bearer <token>. Create one on the portal's Connected apps page."),
                AccessTokenRejection.Revoked => (StatusCodes.Status410Gone, Hl7.Fhir.Model.OperationOutcome.IssueType.Expired, result.Failure!.Message),
                AccessTokenRejection.Expired => (StatusCodes.Status401Unauthorized, Hl7.Fhir.Model.OperationOutcome.IssueType.Expired, result.Failure!.Message),
                _ => (StatusCodes.Status401Unauthorized, Hl7.Fhir.Model.OperationOutcome.IssueType.Login, result.Failure!.Message),
            };
            return new FhirResult(FhirException.Outcome(code, message), status);
        }

        http.User = result.Principal;
        var userId = CurrentUser.FromPrincipal(result.Principal)!.Id;
        http.RequestServices.GetService<Serilog.IDiagnosticContext>()?.Set(UserLogContext.PropertyName, userId);
        using (LogContext.PushProperty(UserLogContext.PropertyName, userId))
            return await next(context);
    }
}
