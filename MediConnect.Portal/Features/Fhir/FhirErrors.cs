using Hl7.Fhir.Model;

namespace MediConnect.Portal.Features.Fhir;

/// <summary>
/// A request the API answers with an <see cref="OperationOutcome"/> instead of a resource: a bad
/// search parameter (400), a missing or rejected token (401, 410 when revoked), a scope or role that
/// does not reach the resource type (403), an unknown or forbidden id (404, the same for both).
/// </summary>
public sealed class FhirException(int status, OperationOutcome.IssueType code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public OperationOutcome.IssueType Code { get; } = code;

    public static FhirException BadParameter(string message) => new(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, message);

    public static FhirException NotSupported(string message, int status = StatusCodes.Status400BadRequest) =>
        new(status, OperationOutcome.IssueType.NotSupported, message);

    public static FhirException Forbidden(string message) => new(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden, message);

    /// <summary>The one answer for an id that does not exist and an id the caller may not see: nothing tells them apart.</summary>
    public static FhirException NotFound(string resourceType, string id) =>
        new(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"{resourceType}/{id} is not known.");

    public OperationOutcome ToOutcome() => Outcome(Code, Message);

    public static OperationOutcome Outcome(OperationOutcome.IssueType code, string message) => new()
    {
        Issue =
        [
            new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = code,
                Diagnostics = message,
            },
        ],
    };
}
