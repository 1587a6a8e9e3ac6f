namespace MediConnect.Portal.Security;

/// <summary>
/// The signed-in user as every service sees it. <see cref="SessionId"/>, <see cref="IpAddress"/>
/// and <see cref="UserAgent"/> come from the sign-in and go into audit rows.
/// </summary>
public sealed record PortalUser(
    int Id,
    string Email,
    string Name,
    string Role,
    string? SessionId = null,
    string? IpAddress = null,
    string? UserAgent = null)
{
    public bool IsAdmin => Role == Roles.Admin;
    public bool IsDoctor => Role == Roles.Doctor;
    public bool IsPatient => Role == Roles.Patient;
}
