namespace MediConnect.Portal.Security;

/// <summary>
/// The signed-in user may not do this or see this record. Thrown by service methods; pages show
/// an access-denied message. The message is safe to show: it never says whether the record exists.
/// </summary>
public sealed class AccessDeniedException(string message = "You do not have access to this.") : Exception(message);

/// <summary>A request broke a rule of the clinic (slot taken, invalid status change…). The message is written for the user.</summary>
public sealed class BusinessRuleException(string message) : Exception(message);

/// <summary>
/// Input broke field rules: nothing was written. <see cref="Errors"/> maps each field (the input
/// model's property name) to the message to show beside it.
/// </summary>
public sealed class FieldValidationException(IReadOnlyDictionary<string, string> errors) : Exception(string.Join(" ", errors.Values))
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;
}
