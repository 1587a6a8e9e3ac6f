namespace MediConnect.Portal.Features.Doctor.Appointments;

/// <summary>
/// The appointment list's query parameters as the URL has them, unparsed (the list parses them and
/// falls back to defaults). The routable page reads them and hands them down: Blazor's query
/// parameter supplier fails when a location change adds or removes components that read the query
/// themselves, which switching between the list and the agenda on Back/Forward would do.
/// </summary>
public sealed record AppointmentListUrl(
    string? Scope = null, string? From = null, string? To = null, string? Patient = null, string[]? Statuses = null,
    string? Sort = null, string? Direction = null, string? Page = null, string? Size = null);

/// <summary>The agenda's query parameters as the URL has them: <c>agenda=day</c> and <c>date=yyyy-MM-dd</c>.</summary>
public sealed record AgendaUrl(string? Span = null, string? Date = null);
